"""The Streamlit side of the dashboard beside the page scripts: settings and language for a
session, the cached path to the data in use, error boundaries, and the renderers that draw
``views/`` specs (tables, figures, verdicts) with Streamlit."""
