"""Rate limit of the pages that send an e-mail to an address typed by an anonymous visitor (registration, password
reset): per client address (common/throttling.py), `ACCOUNT_MAIL_THROTTLE_RATE` (default 10/hour)."""

from dichvucong.common.throttling import ClientRateThrottle


class AccountMailThrottle(ClientRateThrottle):
    scope = "account_mail"
    rate_setting = "ACCOUNT_MAIL_THROTTLE_RATE"
    default_rate = "10/hour"
