"""Stage 4: PDFs through LibreOffice, and the dossier per student."""
