"""Streamlit helpers shared by the pages: cached loaders, URL state and common widgets."""
