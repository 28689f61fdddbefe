"""The kernel manager projector mode hands to Voila: at most ``max_kernels`` kernels.

Voila starts one kernel (about 230 MB) for every ``GET`` of the app's page, and a page
that is requested but never opened (a reload, a link preview, a script) leaves its
kernel running. This manager keeps the count bounded: when the cap is reached it shuts
down the longest-idle kernel that no browser is connected to (after a short grace, so
a page still loading keeps its kernel), and otherwise answers 503. Idle kernels with no
browser are also culled by jupyter_server's own culler (``cull_idle_timeout``).

Loaded by name inside the Voila process only (``--VoilaConfiguration.
multi_kernel_manager_class``), so the CLI never imports jupyter_server itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Float, Integer

from salestrain.base.i18n import t


class CappedKernelManager(AsyncMappingKernelManager):
    """An AsyncMappingKernelManager that never holds more than ``max_kernels``."""

    max_kernels = Integer(3, config=True, help="Most kernels alive at once (one per open page).")
    grace_seconds = Float(20.0, config=True,
                          help="A kernel no browser has connected to yet is kept this long.")

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        if len(self.list_kernel_ids()) >= self.max_kernels:
            victim = self._evictable()
            if victim is None:
                self.log.warning("kernel cap %d reached; refusing a new page", self.max_kernels)
                raise web.HTTPError(503, t("workshop.projector.busy", max=self.max_kernels))
            self.log.info("kernel cap %d reached; shutting down unused kernel %s",
                          self.max_kernels, victim)
            await self.shutdown_kernel(victim)
        return await super().start_kernel(*args, **kwargs)

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._left_pages().discard(kernel_id)

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if not self._kernel_connections.get(kernel_id, 0):
            # Its page was open and has been left (a learner moved on, or reloaded): Voila's
            # own shutdown request from the closing page is refused for want of an _xsrf
            # field (voila-dashboards/voila#1458), so the kernel is free for the next page
            # at once, not after the grace a page still loading gets.
            self._left_pages().add(kernel_id)

    def _left_pages(self) -> set[str]:
        if not hasattr(self, "_left"):
            self._left: set[str] = set()
        return self._left

    def _evictable(self) -> str | None:
        """The longest-idle kernel with no browser connected: one whose page was left, or
        one past its grace time (a page requested but never opened)."""
        cutoff = utcnow() - timedelta(seconds=self.grace_seconds)
        left = self._left_pages()
        unused = [(getattr(self._kernels[k], "last_activity", cutoff), k) for k in self.list_kernel_ids()
                  if not self._kernel_connections.get(k, 0)]
        unused = [(when, k) for when, k in unused if k in left or when <= cutoff]
        return min(unused)[1] if unused else None
