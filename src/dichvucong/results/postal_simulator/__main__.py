"""`python -m dichvucong.results.postal_simulator --port 8773`: the local postal carrier."""

import argparse
import logging

from .server import DEFAULT_SECRET, RunningPostalSimulator


def main() -> None:
    parser = argparse.ArgumentParser(description="Local simulator of the postal carrier (bưu chính công ích)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8773)
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="HMAC shared secret (POSTAL_CARRIER_SECRET)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s postal-simulator %(message)s")
    simulator = RunningPostalSimulator(host=args.host, port=args.port, secret=args.secret)
    logging.getLogger(__name__).info("postal simulator on %s", simulator.url)
    simulator.serve_forever()


if __name__ == "__main__":
    main()
