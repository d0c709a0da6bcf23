"""Stage 2: the route and the deadlines for each student."""
