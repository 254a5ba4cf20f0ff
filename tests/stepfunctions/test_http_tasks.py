"""HTTP tasks (``arn:aws:states:::http:invoke``) answered by registered Python callables: the
request they receive, AWS's result shape, ``States.Http.StatusCode.NNN`` failures, and the checks
of ConnectionArn, Headers, QueryParameters and Transform."""

from __future__ import annotations

import json

import pytest

from tests.stepfunctions.workflow_helpers import desc, history, run_definition

CONNECTION = (
    "arn:aws:events:us-east-1:123456789012:connection/orders-api/7f3c2b1a-0d4e-4f5a-9b6c-1d2e3f4a5b6c"
)
URL = "https://api.example.com/orders"


def http_task(**parameters):
    args = {
        "ApiEndpoint": URL,
        "Method": "GET",
        "Authentication": {"ConnectionArn": CONNECTION},
        **parameters,
    }
    args = {k: v for k, v in args.items() if v is not None}
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": args,
                "End": True,
            }
        },
    }


def output(aws, ex):
    return json.loads(desc(aws, ex)["output"])


def test_a_registered_endpoint_answers_with_aws_result_shape(aws):
    seen = []

    @aws.stepfunctions.http_endpoint(URL)
    def orders(request):
        seen.append(request)
        return {"orders": [1, 2]}

    ex = run_definition(
        aws,
        http_task(
            Method="POST",
            Headers={"X-Trace": "abc"},
            QueryParameters={"status": "open"},
            RequestBody={"item": "book"},
        ),
    )
    out = output(aws, ex)
    assert out["StatusCode"] == 200 and out["StatusText"] == "OK"
    assert out["ResponseBody"] == {"orders": [1, 2]}
    assert out["Headers"]["content-type"] == ["application/json"]
    (request,) = seen
    assert request.method == "POST" and request.url == URL + "?status=open"
    assert request.headers == {"X-Trace": "abc"} and request.query_parameters == {"status": "open"}
    assert request.body == {"item": "book"}
    events = history(aws, ex)
    scheduled = next(e for e in events if e["type"] == "TaskScheduled")["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "http" and scheduled["resource"] == "invoke"


def test_a_full_response_and_a_text_body(aws):
    sfn = aws.stepfunctions
    sfn.http_endpoint(URL, method="GET")(
        lambda request: sfn.HttpResponse(201, "created", {"Location": "/orders/9"})
    )
    out = output(aws, run_definition(aws, http_task()))
    assert out["StatusCode"] == 201 and out["StatusText"] == "Created"
    assert out["ResponseBody"] == "created" and out["Headers"]["location"] == ["/orders/9"]


def test_a_status_outside_2xx_fails_with_states_http_status_code(aws):
    sfn = aws.stepfunctions
    sfn.http_endpoint(URL)(lambda request: sfn.HttpResponse(404, {"message": "no such order"}))
    definition = http_task()
    definition["States"]["Call"]["Catch"] = [
        {"ErrorEquals": ["States.Http.StatusCode.404"], "Next": "Missing"}
    ]
    definition["States"]["Missing"] = {"Type": "Pass", "End": True}
    out = output(aws, run_definition(aws, definition, '{"id": 9}'))
    assert out["Error"] == "States.Http.StatusCode.404"
    assert json.loads(out["Cause"]) == {"message": "no such order"}


def test_a_matcher_on_method_and_url(aws):
    @aws.stepfunctions.http_endpoint(
        match=lambda method, url: method == "DELETE" and url.startswith(URL + "/")
    )
    def delete(request, context):
        return {"deleted": request.url.rsplit("/", 1)[1], "state": context.state_name}

    out = output(aws, run_definition(aws, http_task(ApiEndpoint=URL + "/7", Method="DELETE")))
    assert out["ResponseBody"] == {"deleted": "7", "state": "Call"}


def test_an_unregistered_endpoint_fails_like_an_unreachable_host(aws):
    d = desc(aws, run_definition(aws, http_task()))
    assert d["status"] == "FAILED" and d["error"] == "States.Http.Socket"
    assert URL in d["cause"]


def test_url_encoded_request_body_and_array_formats(aws):
    seen = []
    aws.stepfunctions.http_endpoint(URL)(lambda request: seen.append(request) or "ok")
    transform = {"RequestBodyEncoding": "URL_ENCODED", "RequestEncodingOptions": {"ArrayFormat": "BRACKETS"}}
    run_definition(aws, http_task(Method="POST", RequestBody={"a": "x y", "b": [1, 2]}, Transform=transform))
    assert seen[0].body == "a=x+y&b%5B%5D=1&b%5B%5D=2"
    assert seen[0].headers["Content-Type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    "parameters, problem",
    [
        ({"Authentication": None}, "ConnectionArn"),
        (
            {"Authentication": {"ConnectionArn": "arn:aws:states:us-east-1:123456789012:connection/x"}},
            "not an EventBridge connection ARN",
        ),
        ({"Method": "FETCH"}, "Method"),
        ({"ApiEndpoint": "http://api.example.com"}, "https://"),
        ({"Headers": {"Host": "evil"}}, "'Host' cannot be set"),
        ({"Headers": {"x-amz-date": "now"}}, "cannot be set"),
        ({"Headers": {"Cache-Control": "no-cache"}}, "'Cache-Control' cannot be set"),
        ({"Headers": {"X-Forwarded-For": "1.2.3.4"}}, "cannot be set"),
        ({"Headers": {"x-amzn-trace-id": "t"}}, "cannot be set"),
        ({"QueryParameters": ["a"]}, "QueryParameters must be an object"),
        ({"Transform": {"RequestBodyEncoding": "BASE64"}}, "RequestBodyEncoding"),
        (
            {
                "Transform": {
                    "RequestBodyEncoding": "URL_ENCODED",
                    "RequestEncodingOptions": {"ArrayFormat": "X"},
                }
            },
            "ArrayFormat",
        ),
        ({"Transform": {"RequestBodyEncoding": "URL_ENCODED"}, "RequestBody": "text"}, "RequestBody object"),
    ],
)
def test_malformed_arguments_fail_the_task_before_any_call(aws, parameters, problem):
    calls = []
    aws.stepfunctions.http_endpoint(match=lambda m, u: True)(lambda request: calls.append(request) or {})
    d = desc(aws, run_definition(aws, http_task(**parameters)))
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime"
    assert problem in d["cause"] and calls == []


def test_an_exception_in_the_endpoint_fails_the_task_with_its_name(aws):
    def broken(request):
        raise ConnectionResetError("peer reset")

    aws.stepfunctions.http_endpoint(URL)(broken)
    d = desc(aws, run_definition(aws, http_task()))
    assert d["status"] == "FAILED" and d["error"] == "ConnectionResetError"
