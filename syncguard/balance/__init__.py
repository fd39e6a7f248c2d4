"""Balance visits between the WebPT EMR and RevFlow / WebPT Billing (``syncguard balance``).

The library entry point is ``syncguard.balance.api.balance``; importing this package is cheap
(the columnar engine is imported by the modules that need it).
"""
