"""The output cap: every byte a kernel sends the grader counts, whatever the message kind.

Two guards, both below the message parsing, so nothing of a flood is ever turned into
Python objects:

- ``ZMQ_MAXMSGSIZE`` on every socket of the grader's side (set on the kernel manager's
  ZMQ context before its sockets exist): a single message part larger than the cap is
  refused by libzmq while it arrives, without being stored. libzmq then drops that
  connection, which the socket monitors report as a disconnect while the kernel still
  runs: that is the flood.
- a byte count of every message received on the shell, IOPub, stdin and control
  channels (streams, results, displays and their updates, errors with their tracebacks,
  comm messages, status, execute replies): past the cap the channel stops handing
  messages over.

Either way the kernel is killed and the cell ends with ``DeadKernelError``; ``reason``
says which guard stopped it. The grader's memory per submission is thus bounded by
about the cap (what was kept before it) plus one message part of at most the cap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import zmq
from nbclient.exceptions import DeadKernelError
from zmq.utils.monitor import parse_monitor_message

HEADROOM = 64 * 1024  # a message part just under the cap still needs room for its framing
CHANNELS = ("shell_channel", "iopub_channel", "stdin_channel", "control_channel")


def limit_message_size(context: zmq.Context, cap: int) -> None:
    """Make every socket created later by ``context`` refuse message parts past the cap."""
    context.setsockopt(zmq.MAXMSGSIZE, int(cap) + HEADROOM)


class OutputMeter:
    """Counts what one kernel sends and trips once past ``cap`` bytes."""

    def __init__(self, cap: int, on_trip: Callable[[], None]) -> None:
        self.cap = cap
        self.seen = 0
        self.reason: str | None = None  # "total" or "message" once tripped
        self._on_trip = on_trip
        self._monitors: list[Any] = []

    @property
    def tripped(self) -> bool:
        return self.reason is not None

    def trip(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
            self._on_trip()

    def add(self, nbytes: int) -> None:
        self.seen += nbytes
        if self.seen > self.cap:
            self.trip("total")

    def install(self, kc: Any) -> None:
        """Count every message on the client's channels and watch them for refusals."""
        for name in CHANNELS:
            channel = getattr(kc, f"_{name}", None)
            if channel is None or getattr(channel, "socket", None) is None:
                continue
            channel._recv = self._metered(channel)
            self._monitors.append(channel.socket.get_monitor_socket(zmq.EVENT_DISCONNECTED))

    def _metered(self, channel: Any) -> Callable[..., Any]:
        async def recv(**kwargs: Any) -> dict[str, Any]:
            if self.tripped:
                raise DeadKernelError("output limit")
            frames = await channel.socket.recv_multipart(**kwargs)
            self.add(sum(len(frame) for frame in frames))
            if self.tripped:
                raise DeadKernelError("output limit")
            _, message = channel.session.feed_identities(frames)
            return channel.session.deserialize(message)
        return recv

    async def disconnected(self) -> bool:
        """Did libzmq drop a connection since the last call (a refused message, or the
        kernel going away: the caller tells them apart by asking the process)?"""
        seen = False
        for monitor in self._monitors:
            while await monitor.poll(0):
                event = parse_monitor_message(await monitor.recv_multipart())
                seen = seen or event["event"] == zmq.EVENT_DISCONNECTED
        return seen

    def close(self) -> None:
        for monitor in self._monitors:
            monitor.close(linger=0)
        self._monitors.clear()


async def settle(seconds: float = 0.5) -> None:
    """Give a kernel that is exiting the time to be seen as gone."""
    await asyncio.sleep(seconds)
