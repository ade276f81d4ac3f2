"""A real SMTP server on loopback for the browser tests: every accepted email is written,
unchanged, as a file into a folder the tests read."""
import asyncio
import pathlib
import sys
import time

from aiosmtpd.controller import Controller


class FolderSink:
    def __init__(self, folder: pathlib.Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}.eml"
        (self.folder / name).write_bytes(envelope.original_content)
        return "250 Message accepted for delivery"


def main() -> None:
    folder, port = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    controller = Controller(FolderSink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}, writing to {folder}", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
