"""Chart functions: ``*_figure(frame, …) -> plotly Figure``; no data loading, no Streamlit."""
