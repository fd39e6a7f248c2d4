"""syncguard: keep WebPT and CollaborateMD master data in sync.

The library is usable without the CLI: see ``syncguard.api`` for ``check`` and the registry
functions. Heavy modules are imported on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
