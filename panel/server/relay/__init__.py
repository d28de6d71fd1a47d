"""Remote maintenance (S3) on the server: operators, the assignment of calls, live sessions.

`Relay` is the service object (in the app under `relay_key`); `http` holds its handlers for
`panel.server.api.RELAY_ROUTES`; `console` serves the operator console at `/operator`.
"""

from panel.server.relay.relay import OFFER_TIMEOUT_S, Relay, RelaySettings, relay_key

__all__ = ["OFFER_TIMEOUT_S", "Relay", "RelaySettings", "relay_key"]
