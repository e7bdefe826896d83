"""Local simulators of the national systems the integration platform talks to (stdlib only, no Django): the National
Public Service Portal (`national_portal`) and an SMS gateway (`sms`). Each runs as its own process
(`python -m dichvucong.integrations.simulators.<name> --port N`) or in a thread (`RunningSimulator`, tests)."""
