"""Stage 1: reading the intake folder into typed student records."""
