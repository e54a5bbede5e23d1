"""The Streamlit layer: state, sidebar, cached results and the stakeholder and presenter views."""
