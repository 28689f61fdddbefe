"""Run code in a learner's kernel on their hub server, over the Jupyter websocket protocol,
as the learner (with their token): what a learner who found the kernel API could do."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


def run_code(http_base: str, username: str, token: str, code: str, timeout: float = 60) -> str:
    return asyncio.run(_run(http_base, username, token, code, timeout))


async def _run(http_base: str, username: str, token: str, code: str, timeout: float) -> str:
    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient()
    headers = {"Authorization": f"token {token}"}
    answer = await client.fetch(f"{http_base}/user/{username}/api/kernels", method="POST",
                                body=json.dumps({"name": "python3"}), headers=headers, request_timeout=timeout)
    kernel = json.loads(answer.body)["id"]
    ws_base = http_base.replace("http", "ws", 1)
    conn = await websocket_connect(HTTPRequest(f"{ws_base}/user/{username}/api/kernels/{kernel}/channels",
                                               headers=headers, request_timeout=timeout))
    msg_id = uuid.uuid4().hex
    conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": username, "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    out: list[str] = []
    try:
        while True:
            raw = await asyncio.wait_for(conn.read_message(), timeout)
            if raw is None:
                break
            msg: dict[str, Any] = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        conn.close()
        await client.fetch(f"{http_base}/user/{username}/api/kernels/{kernel}", method="DELETE",
                           headers=headers, raise_error=False)
    return "".join(out)
