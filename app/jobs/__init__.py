"""Parse + validate + persist, off the request path. The one place where they meet."""
