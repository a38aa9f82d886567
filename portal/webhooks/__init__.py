"""Webhooks: partners are told when the records they mirror change.

A partner's API token owns subscriptions (an HTTPS address and the events it wants). A save
that changes what the API shows (`signals.py`) announces an event once its transaction
commits (`events.py`); each subscription that wants it gets a delivery, signed with its own
secret and sent by the task worker (`tasks.py`), retried with growing pauses, and paused after
repeated failures (`services.py`). Only the addresses the operator allows are ever called
(`addresses.py`).
"""
