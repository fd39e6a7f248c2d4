"""The run ledger: run history, drift between runs, waivers, alerts and the audit lock.

Everything here takes a registry ``Engine`` whose schema includes the ledger tables
(migration 0002); ``syncguard.ledger.hooks.after_run`` is the one call a command makes.
"""
