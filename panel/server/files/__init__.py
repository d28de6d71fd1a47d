"""Shared files (S6) on the server: the fleet's index of document boxes (`index`), who may see
and fetch what, and the streamed relay from the holding device to the requester (`relay`);
`api` holds the HTTP handlers and their routes. Nothing here imports the rest of the server at
import time, so the store can apply box reports without a cycle.
"""
