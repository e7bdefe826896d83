"""`python -m dichvucong.payments.simulator --port 8765`: the local national payment platform."""

import argparse
import logging

from .server import DEFAULT_MERCHANT_CODE, DEFAULT_SECRET, serve_forever


def main() -> None:
    parser = argparse.ArgumentParser(description="Local simulator of the national payment platform")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--merchant", default=DEFAULT_MERCHANT_CODE, help="merchant code accepted")
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="HMAC shared secret of that merchant")
    parser.add_argument("--late-delay", type=float, default=5.0, help="seconds before a 'late' callback is sent")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s payment-simulator %(message)s")
    serve_forever(host=args.host, port=args.port, merchants={args.merchant: args.secret}, late_delay=args.late_delay)


if __name__ == "__main__":
    main()
