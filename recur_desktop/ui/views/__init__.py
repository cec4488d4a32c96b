"""Views: widgets, layout and bindings to the view-models only."""
