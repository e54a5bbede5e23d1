"""Pure Plotly figures built from model results: each function takes DataFrames and returns a ``go.Figure``.

Imports nothing from Streamlit. Every figure carries a one-line text summary for people who cannot see it
(:func:`dashboard.charts.theme.summary_of`).
"""

from dashboard.charts import briefing, compare, history, library, method, sensitivity, theme, uncertainty, why
from dashboard.charts.theme import summary_of

__all__ = ["briefing", "compare", "history", "library", "method", "sensitivity", "summary_of", "theme", "uncertainty",
           "why"]
