"""The fictional example cohort of `make demo`."""
