"""Stage 3: the Word documents, from templates, and what staff wrote in them."""
