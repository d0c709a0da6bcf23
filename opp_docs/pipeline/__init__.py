"""The whole run: the stages wired together, its state, lock and manifest."""
