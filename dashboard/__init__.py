"""Kuril Islands settlement scenarios: a feasibility model, its charts and a Streamlit dashboard."""
