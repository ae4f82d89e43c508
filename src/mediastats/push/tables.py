"""Push tables (subscriptions, outbox, server status) — declared on the shared metadata."""
