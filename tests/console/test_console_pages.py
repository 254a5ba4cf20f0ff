"""The console's pages over plain HTTP: what each page shows, paging, the Query form, partitions,
escaping, and the JSON twins that live pages poll."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.console.console_world import ROLE, failing_machine

KEYS = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
    "AttributeDefinitions": [
        {"AttributeName": "id", "AttributeType": "S"},
        {"AttributeName": "n", "AttributeType": "N"},
        {"AttributeName": "g", "AttributeType": "S"},
    ],
    "GlobalSecondaryIndexes": [
        {
            "IndexName": "ByG",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    ],
    "BillingMode": "PAY_PER_REQUEST",
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
}


@pytest.fixture
def orders(aws):
    ddb = aws.dynamodb
    ddb.create_table(TableName="Orders", **KEYS)
    for n in range(30):
        ddb.put_item(TableName="Orders", Item={"id": {"S": "a"}, "n": {"N": str(n)}, "g": {"S": f"g{n % 3}"}})
    return "Orders"


def _links(text: str, css: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'href="([^"]*)" class="{css}"', text)]


def _rows(text: str, table_class: str) -> int:
    body = text.split(f'<table class="{table_class}">', 1)[1].split("</table>", 1)[0]
    return body.count("<tr>") - 1  # the header row


def test_the_console_root_is_an_html_page_not_cached(console):
    status, headers, text = console.get("/_emulator/ui")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert text.startswith("<!doctype html>") and "Emulator console" in text


def test_the_overview_counts_tables_and_state_machines(console, aws, orders):
    failing_machine(aws)
    _, _, text = console.get("/_emulator/ui/")
    assert ">Tables</a>: 1<" in text and ">State machines</a>: 1<" in text


def test_the_tables_page_lists_each_table_with_its_key_and_stream(console, orders):
    _, _, text = console.get("/_emulator/ui/tables")
    assert 'href="/_emulator/ui/tables/Orders"' in text
    assert "id (HASH), n (RANGE)" in text and "/_emulator/ui/streams/arn:aws:dynamodb:us-east-1:" in text


def test_a_table_page_shows_a_page_of_items_and_links_the_next(console, orders):
    _, _, first = console.get("/_emulator/ui/tables/Orders")
    assert _rows(first, "items") == 25
    (next_page,) = _links(first, "next")
    _, _, second = console.get(next_page)
    assert _rows(second, "items") == 5
    assert "first page" in second and not _links(second, "next")
    numbers = re.findall(r'<td class="value">(\d+)</td>', first + second)
    assert len(numbers) == 30


def test_a_table_page_takes_a_page_size(console, orders):
    _, _, text = console.get("/_emulator/ui/tables/Orders?limit=7")
    assert _rows(text, "items") == 7
    assert "limit=7" in _links(text, "next")[0]


def test_a_start_key_that_is_not_a_key_is_a_400_page(console, orders):
    status, headers, text = console.get("/_emulator/ui/tables/Orders?start=nonsense")
    assert status == 400 and headers["Content-Type"].startswith("text/html")
    assert 'class="error"' in text


def test_an_unknown_table_is_a_404_page_with_dynamodbs_message(console):
    status, _, text = console.get("/_emulator/ui/tables/Missing")
    assert status == 404
    assert "ResourceNotFoundException" in text


def test_item_values_and_attribute_names_are_escaped(console, aws, orders):
    aws.dynamodb.put_item(
        TableName="Orders",
        Item={"id": {"S": "<script>alert(1)</script>"}, "n": {"N": "1"}, "<b>": {"M": {"x": {"S": '"<i>'}}}},
    )
    _, _, text = console.get("/_emulator/ui/tables/Orders?limit=100")
    assert "<script>alert(1)" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<th>&lt;b&gt;</th>" in text


def test_binary_values_show_as_base64(console, aws):
    aws.dynamodb.create_table(
        TableName="Blobs",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "B"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(3):
        aws.dynamodb.put_item(TableName="Blobs", Item={"k": {"B": bytes([i, 255])}})
    _, _, text = console.get("/_emulator/ui/tables/Blobs?limit=2")
    assert '{"B":"AP8="}' in html.unescape(text)
    _, _, rest = console.get(_links(text, "next")[0])
    assert _rows(rest, "items") == 1


def test_the_query_form_offers_the_table_and_its_indexes(console, orders):
    status, _, text = console.get("/_emulator/ui/tables/Orders/query")
    assert status == 200
    assert '<form method="get" action="/_emulator/ui/tables/Orders/query"' in text
    assert ">table (id, n)</option>" in text and ">ByG (g)</option>" in text
    assert 'class="items"' not in text  # no partition key value yet: no query


def test_a_query_with_a_sort_key_condition(console, orders):
    _, _, text = console.get("/_emulator/ui/tables/Orders/query?pk=a&skop=between&sk=3&sk2=5&desc=1")
    assert re.findall(r'<td class="value">(\d+)</td>\s*<td class="value">g', text) == ["5", "4", "3"]
    assert "<h2>3 items</h2>" in text


def test_a_query_on_an_index_pages_with_its_last_key(console, orders):
    _, _, text = console.get("/_emulator/ui/tables/Orders/query?index=ByG&pk=g1&limit=4")
    assert _rows(text, "items") == 4
    assert "index=ByG" in _links(text, "next")[0]
    _, _, second = console.get(_links(text, "next")[0])
    _, _, third = console.get(_links(second, "next")[0])
    assert (_rows(second, "items"), _rows(third, "items")) == (4, 2)  # g1: n = 1, 4, ..., 28


def test_a_query_on_an_unknown_index_is_a_404_page(console, orders):
    status, _, _ = console.get("/_emulator/ui/tables/Orders/query?index=Nope&pk=a")
    assert status == 404


def test_the_streams_page_lists_streams_and_a_stream_shows_its_records(console, aws, orders):
    _, _, text = console.get("/_emulator/ui/streams")
    (stream,) = re.findall(r'href="(/_emulator/ui/streams/[^"]+)"', text)
    aws.dynamodb.delete_item(TableName="Orders", Key={"id": {"S": "a"}, "n": {"N": "0"}})
    status, _, page = console.get(html.unescape(stream))
    assert status == 200
    assert page.count("<td>INSERT</td>") == 30 and page.count("<td>REMOVE</td>") == 1
    assert "id=a, n=0" in page and "data-live=" in page


def test_the_state_machines_page_lists_latest_executions(console, aws):
    arn = failing_machine(aws)
    run = aws.stepfunctions.start_execution(stateMachineArn=arn, name="first")["executionArn"]
    _, _, text = console.get("/_emulator/ui/statemachines")
    assert f'href="/_emulator/ui/statemachines/{arn}"' in text
    assert f'href="/_emulator/ui/executions/{run}" class="execution">first</a>' in text
    assert '<span class="status RUNNING">RUNNING</span>' in text and "data-live=" in text


def test_a_state_machine_page_shows_its_definition_escaped(console, aws):
    definition = {
        "Comment": "<script>x</script>",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
    }
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="Commented", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    sfn.start_execution(stateMachineArn=arn, name="done")
    _, _, text = console.get(f"/_emulator/ui/statemachines/{arn}")
    assert "&lt;script&gt;x&lt;/script&gt;" in text and "<script>x" not in text
    assert '<span class="status SUCCEEDED">SUCCEEDED</span>' in text


def test_express_state_machines_are_listed_without_executions(console, aws):
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="Quick", type="EXPRESS", definition=definition, roleArn=ROLE)[
        "stateMachineArn"
    ]
    sfn.start_execution(stateMachineArn=arn)
    for path in ("/_emulator/ui/statemachines", f"/_emulator/ui/statemachines/{arn}"):
        status, _, text = console.get(path)
        assert status == 200 and "Express executions are not listed" in text


def test_a_running_execution_page_is_live_and_marks_the_state_running(console, aws):
    run = aws.stepfunctions.start_execution(stateMachineArn=failing_machine(aws))["executionArn"]
    _, _, text = console.get(f"/_emulator/ui/executions/{run}")
    assert f'data-live="/_emulator/ui/api/executions/{run}"' in text
    assert '<tr class="state running" data-state="Wait">' in text
    assert '<tr class="state succeeded" data-state="Prepare">' in text


def test_a_failed_execution_marks_the_state_it_failed_in(console, aws):
    run = aws.stepfunctions.start_execution(stateMachineArn=failing_machine(aws))["executionArn"]
    aws.clock.advance(hours=1)
    _, _, text = console.get(f"/_emulator/ui/executions/{run}")
    assert '<tr class="state failed" data-state="Boom">' in text
    assert '<tr class="state succeeded" data-state="Wait">' in text
    assert "data-live=" not in text  # a stopped execution no longer changes
    assert "<td>ExecutionFailed</td>" in text and "Broken it broke" in text


def test_the_execution_twin_follows_the_execution_until_it_stops(console, aws):
    run = aws.stepfunctions.start_execution(stateMachineArn=failing_machine(aws))["executionArn"]
    running = console.json(f"/_emulator/ui/api/executions/{run}")
    assert (running["status"], running["final"], running["failedStates"]) == ("RUNNING", False, [])
    aws.clock.advance(hours=1)
    stopped = console.json(f"/_emulator/ui/api/executions/{run}")
    assert (stopped["status"], stopped["final"], stopped["failedStates"]) == ("FAILED", True, ["Boom"])
    assert stopped["executionArn"] == run and 'data-state="Boom"' in stopped["html"]


def test_list_pages_have_live_twins(console, aws):
    failing_machine(aws)
    twin = console.json("/_emulator/ui/api/statemachines")
    assert twin["final"] is False and 'class="statemachine"' in twin["html"]


def test_an_unknown_execution_is_a_404_twin(console):
    status, headers, text = console.get(
        "/_emulator/ui/api/executions/arn:aws:states:us-east-1:123456789012:execution:Nope:x"
    )
    assert status == 404 and headers["Content-Type"] == "application/json"
    assert "ExecutionDoesNotExist" in json.loads(text)["html"]


def test_the_execution_page_shows_the_picture_the_emulator_draws(console, aws):
    run = aws.stepfunctions.start_execution(stateMachineArn=failing_machine(aws))["executionArn"]
    _, _, drawn = console.get(f"/_emulator/ui/executions/{run}")
    picture = drawn.split('<div class="picture">', 1)[1].split("</svg>", 1)[0]
    assert picture.startswith("<svg") and "Boom" in picture and 'class="note"' not in drawn


def test_the_picture_comes_from_the_clients_render(console, aws):
    run = aws.stepfunctions.start_execution(stateMachineArn=failing_machine(aws))["executionArn"]
    aws.stepfunctions.render = lambda arn, format: f'<svg data-arn="{arn}" data-format="{format}"></svg>'
    _, _, text = console.get(f"/_emulator/ui/executions/{run}")
    assert f'<div class="picture"><svg data-arn="{run}" data-format="svg"></svg></div>' in text


def test_a_picture_that_cannot_be_drawn_leaves_a_note(console, aws):
    run = aws.stepfunctions.start_execution(stateMachineArn=failing_machine(aws))["executionArn"]

    def render(arn, format):
        raise NotImplementedError("<no> pictures")

    aws.stepfunctions.render = render
    status, _, text = console.get(f"/_emulator/ui/executions/{run}")
    assert status == 200 and "No picture: NotImplementedError: &lt;no&gt; pictures" in text
    assert 'data-state="Wait"' in text


def test_pages_read_the_partition_the_query_names(console, aws):
    aws.client("dynamodb", region_name="eu-west-1").create_table(TableName="Euro", **KEYS)
    _, _, default = console.get("/_emulator/ui/tables")
    assert (
        "Euro" not in default
        and 'href="/_emulator/ui/tables?account=123456789012&amp;region=eu-west-1"' in default
    )
    _, _, europe = console.get("/_emulator/ui/tables?region=eu-west-1")
    assert 'href="/_emulator/ui/tables/Euro?account=123456789012&amp;region=eu-west-1"' in europe


def test_an_execution_page_reads_the_partition_of_its_arn(console, aws):
    sfn = aws.client("stepfunctions", region_name="eu-west-1")
    arn = sfn.create_state_machine(
        name="Far",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        roleArn=ROLE,
    )["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert console.json(f"/_emulator/ui/api/executions/{run}")["status"] == "SUCCEEDED"


def test_a_malformed_region_is_a_400(console):
    status, _, _ = console.get("/_emulator/ui/tables?region=not%20a%20region")
    assert status == 400


def test_an_unknown_console_path_is_a_404_page(console):
    status, headers, text = console.get("/_emulator/ui/nowhere")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert "no console page at /_emulator/ui/nowhere" in text
