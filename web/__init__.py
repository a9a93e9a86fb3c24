"""Machinery of the web application that is not about any domain: form and page helpers, the
template filters, the language middleware, the session store, rate limits and the 429 page,
and the health endpoints with the task worker's heartbeat."""
