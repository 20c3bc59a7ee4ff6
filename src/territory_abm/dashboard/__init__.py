"""The classroom dashboard: Mesa's SolaraViz page for a territory, with live levers."""
