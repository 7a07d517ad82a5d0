"""HTTP adapters: routers translate HTTP to service calls, nothing more."""
