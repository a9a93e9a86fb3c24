"""The client's address, the same for the log-in lock-out (django-axes), the rate limits
(django-ratelimit) and the evidence of a signature.

Behind N trusted reverse proxies (BONTOT_PROXY_COUNT, set from AXES_PROXY_COUNT) the chain of
addresses is X-Forwarded-For followed by the connection's own address (REMOTE_ADDR): each proxy
appends the address it received the request from (nginx: `$proxy_add_x_forwarded_for`), so the
client is the entry N places from the right. Whatever a client writes into X-Forwarded-For
itself lands to the left of that and is never read. With no proxy configured, the header is
ignored entirely. The application must be reachable only through those proxies (gunicorn bound
to 127.0.0.1 or a private address, docs/deploy.md): a client reaching it directly could write the
whole chain itself. A request that reaches the application round some of the proxies has a
shorter chain: its farthest address is its own.

Where the application cannot be closed off that well, BONTOT_TRUSTED_PROXIES lists the networks
the proxies are in (CIDR; empty: trust by count alone): then an address in the chain is read as
a proxy's only if it is in those networks, and the client is the first address from the right
that is not — a request that reached the application directly from outside is its own address,
whatever its header says.

django-ipware (django-axes' extra) was tried for this and not kept: its proxy count leaves
REMOTE_ADDR out of the chain, and with a count of 0 it returns a forged X-Forwarded-For as the
client (docs/decisions.md, "The real client behind a proxy").
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str:
    """The address itself, without a port some load balancers add (1.2.3.4:5678, [::1]:443)."""
    address = address.strip()
    if address.startswith("["):
        address = address[1 : address.find("]")] if "]" in address else address
    elif address.count(":") == 1:
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def trusted_networks() -> list:
    return [ipaddress.ip_network(n, strict=False) for n in settings.BONTOT_TRUSTED_PROXIES]


def _is_proxy(address: str, networks: list) -> bool:
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.BONTOT_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in forwarded if part] + [remote]
    networks = trusted_networks()
    if networks:
        # From the right: each of the N proxies must be in a trusted network; the first address
        # that is not is the client (a direct request from outside: REMOTE_ADDR itself).
        for hop in range(1, min(proxies, len(chain)) + 1):
            address = _valid(chain[-hop])
            if not _is_proxy(address, networks):
                return address or remote
    # Fewer hops than proxies: it came round some of them, and the farthest address is its own.
    index = -(proxies + 1) if len(chain) > proxies else 0
    return _valid(chain[index]) or remote
