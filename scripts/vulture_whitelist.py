"""Functions and methods vulture reports as unused that something outside our Python does use.

Read by scripts/dead_code.py (`make lint`). A new entry needs its reason; code that nothing
uses is removed instead.
"""
# ruff: noqa: B018, F821

# Called by frameworks, not by our code.
_.process_bind_param  # SQLAlchemy TypeDecorator (store/types.py)
_.process_result_value
_.dispatch  # Starlette middleware (web/app.py)
model_post_init  # pydantic hook (posts.py)
_.handle_starttag  # html.parser.HTMLParser callbacks (sources/text.py)
_.handle_endtag
_.handle_data
_.do_GET  # http.server.BaseHTTPRequestHandler callbacks (demo/instance.py)
_.do_POST
_.log_message
_only_its_rows  # SQLAlchemy session event listeners, registered by decorator (store/scope.py)
_stamp_new_rows

# Public helpers documented for users, with their tests.
verify_signature  # webhook receivers check our signature with it (docs/alerts.md)
_.match_many  # the matcher's batch API (docs/rules.md)
authorization_url  # X OAuth 2.0 PKCE connect flow (docs/networks.md)
_.exchange_code
fold_slow  # the definition `fold` must agree with (rules tests)
expected_counts  # the hourly baseline, for a chart's second line (docs/alerts.md), tested
