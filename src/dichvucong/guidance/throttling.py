"""The assistant's allowance per client address, shared by its API and its page (common.throttling's rule)."""

from dichvucong.common.throttling import ClientRateThrottle


class AssistantThrottle(ClientRateThrottle):
    scope = "assistant"
    rate_setting = "ASSISTANT_THROTTLE_RATE"
    default_rate = "60/min"


class SurveyThrottle(ClientRateThrottle):
    scope = "guidance_survey"
    default_rate = "10/hour"
