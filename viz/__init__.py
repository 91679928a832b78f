"""Network maps and charts: NetworkX projections in, HTML and SVG out (nothing is written here)."""
