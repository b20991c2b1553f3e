"""FastAPI app, web page and the kb CLI: the composition root."""
