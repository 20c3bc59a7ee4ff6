"""The classroom dashboard: a Solara page per group, each group with its own model and live levers."""
