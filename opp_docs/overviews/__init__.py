"""Stage 5: the overviews the team leader works from."""
