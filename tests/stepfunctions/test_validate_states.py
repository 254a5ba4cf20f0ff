"""Definition validation, per state: fields by type, query language, Next/End, exclusive pairs,
value types and ranges (ASL-ST-*, ASL-VAL-07/10/12, §1.3, §1.4, §7)."""

from __future__ import annotations

import json

import pytest

from emulator.stepfunctions.asl.validate import validate

S = "SCHEMA_VALIDATION_FAILED"
LAMBDA = "arn:aws:states:::lambda:invoke"


def diags(definition, **kw):
    return [
        (d.code, d.message, d.location)
        for d in validate(json.dumps(definition), **kw)
        if d.severity == "ERROR"
    ]


def one(state, **top):
    return {"StartAt": "X", "States": {"X": state}, **top}


def jsonpath_only(field):
    return f"The QueryLanguage is set to 'JSONata', but field '{field}' is only supported for the 'JSONPath' QueryLanguage"


def jsonata_only(field):
    return f"The QueryLanguage is set to 'JSONPath', but field '{field}' is only supported for the 'JSONata' QueryLanguage"


# ---------------------------------------------------------------------------------- Type, names


def test_type_must_be_one_of_the_eight():
    assert diags(one({"Type": "Bogus", "End": True})) == [
        (
            S,
            (
                "The field 'Type' should have one of these values: "
                "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"
            ),
            "/States/X/Type",
        )
    ]


def test_type_is_required():
    assert diags(one({"End": True}))[0] == (S, "These fields are required: [Type]", "/States/X")


def test_state_must_be_an_object():
    assert diags(one("Pass"))[0] == (S, "Expected value of type [OBJECT]", "/States/X")


def test_state_name_longer_than_80_characters():
    name = "n" * 81
    d = {"StartAt": name, "States": {name: {"Type": "Succeed"}}}
    assert [c for c, _m, _l in diags(d)] == ["INVALID_STATE_NAME"]
    assert diags({"StartAt": "n" * 80, "States": {"n" * 80: {"Type": "Succeed"}}}) == []


# ------------------------------------------------------------------------- fields by state type


@pytest.mark.parametrize("state_type", ["Pass", "Wait", "Choice", "Succeed", "Fail", "Map", "Parallel"])
def test_timeout_seconds_only_on_task(state_type):
    # AWS measured (floci-io/floci #2735): refused with the location of the state
    errors = diags(one({"Type": state_type, "TimeoutSeconds": 5}))
    assert (S, "Field 'TimeoutSeconds' is not supported", "/States/X") in errors


@pytest.mark.parametrize("field", ["Retry", "Catch"])
@pytest.mark.parametrize("state_type", ["Pass", "Wait", "Choice", "Succeed", "Fail"])
def test_retry_and_catch_only_on_task_parallel_map(state_type, field):
    errors = diags(one({"Type": state_type, field: [{"ErrorEquals": ["States.ALL"], "Next": "X"}]}))
    assert (S, f"Field '{field}' is not supported", "/States/X") in errors


def test_catch_refused_on_a_jsonata_pass_too():
    d = one(
        {"Type": "Pass", "End": True, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "X"}]},
        QueryLanguage="JSONata",
    )
    assert diags(d) == [(S, "Field 'Catch' is not supported", "/States/X")]


def test_several_unsupported_fields_in_fixed_order():
    d = one(
        {
            "Type": "Pass",
            "End": True,
            "Retry": [{"ErrorEquals": ["States.ALL"]}],
            "TimeoutSeconds": 5,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "X"}],
        }
    )
    assert [m for _c, m, _l in diags(d)] == [
        "Field 'TimeoutSeconds' is not supported",
        "Field 'Catch' is not supported",
        "Field 'Retry' is not supported",
    ]


def test_unknown_field_and_end_on_terminal_states():
    assert diags(one({"Type": "Pass", "End": True, "Foo": 1})) == [
        (S, "Field 'Foo' is not supported", "/States/X")
    ]
    assert diags(one({"Type": "Succeed", "End": True})) == [(S, "Field 'End' is not supported", "/States/X")]
    assert diags(one({"Type": "Fail", "Next": "X"})) == [(S, "Field 'Next' is not supported", "/States/X")]
    assert diags(one({"Type": "Fail", "InputPath": "$"})) == [
        (S, "Field 'InputPath' is not supported", "/States/X")
    ]


def test_every_documented_field_is_accepted_on_task():
    d = one(
        {
            "Type": "Task",
            "Comment": "c",
            "Resource": LAMBDA,
            "InputPath": "$",
            "OutputPath": "$",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "ResultSelector": {"p.$": "$.Payload"},
            "ResultPath": "$.r",
            "Assign": {"v.$": "$.Payload"},
            "TimeoutSeconds": 10,
            "HeartbeatSeconds": 5,
            "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/r"},
            "Retry": [
                {
                    "ErrorEquals": ["States.TaskFailed"],
                    "IntervalSeconds": 1,
                    "MaxAttempts": 2,
                    "BackoffRate": 1.5,
                    "MaxDelaySeconds": 10,
                    "JitterStrategy": "FULL",
                }
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "X"}],
            "End": True,
        }
    )
    assert diags(d) == []


# -------------------------------------------------------------------------------- query language


def test_jsonpath_only_fields_on_a_jsonata_state_in_fixed_order():
    d = one(
        {"Type": "Pass", "InputPath": "$.a", "OutputPath": "$.b", "ResultPath": "$.c", "End": True},
        QueryLanguage="JSONata",
    )
    assert diags(d) == [(S, jsonpath_only(f), "/States/X") for f in ("InputPath", "OutputPath", "ResultPath")]


def test_jsonata_only_fields_on_a_jsonpath_state():
    d = one({"Type": "Task", "Resource": LAMBDA, "Output": {"v": 1}, "Arguments": {"p": "l"}, "End": True})
    assert diags(d) == [(S, jsonata_only("Output"), "/States/X"), (S, jsonata_only("Arguments"), "/States/X")]
    m = one(
        {
            "Type": "Map",
            "Items": [1],
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True,
        }
    )
    assert diags(m) == [(S, jsonata_only("Items"), "/States/X")]


@pytest.mark.parametrize(
    "field,value",
    [
        ("TimeoutSecondsPath", "$.t"),
        ("HeartbeatSecondsPath", "$.h"),
        ("Parameters", {}),
        ("ResultSelector", {}),
        ("InputPath", "$"),
        ("OutputPath", "$"),
        ("ResultPath", "$.r"),
    ],
)
def test_jsonpath_fields_refused_on_a_jsonata_task(field, value):
    d = one({"Type": "Task", "Resource": LAMBDA, field: value, "End": True}, QueryLanguage="JSONata")
    assert diags(d) == [(S, jsonpath_only(field), "/States/X")]


def test_state_cannot_downgrade_a_jsonata_machine_and_the_downgrade_is_the_whole_answer():
    d = one(
        {"Type": "Pass", "QueryLanguage": "JSONPath", "Output": {"v": "{% 1 %}"}, "End": True},
        QueryLanguage="JSONata",
    )
    assert diags(d) == [
        (S, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", "/States/X")
    ]


def test_downgraded_map_still_has_its_values_checked():
    d = one(
        {
            "Type": "Map",
            "QueryLanguage": "JSONPath",
            "MaxConcurrency": -1,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True,
        },
        QueryLanguage="JSONata",
    )
    assert diags(d) == [
        (S, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", "/States/X"),
        (S, "Minimum value is 0", "/States/X/MaxConcurrency"),
    ]


def test_state_language_enum_error_is_at_the_field_and_the_state_resolves_to_jsonata():
    d = one(
        {
            "Type": "Pass",
            "QueryLanguage": "jsonata",
            "Output": {"v": "{% 1 %}"},
            "InputPath": "$.a",
            "End": True,
        }
    )
    assert diags(d) == [
        (S, jsonpath_only("InputPath"), "/States/X"),
        (S, "Value should be one of the following: [JSONPath, JSONata]", "/States/X/QueryLanguage"),
    ]
    n = one({"Type": "Pass", "QueryLanguage": 5, "InputPath": "$.a", "End": True})
    assert diags(n) == [
        (S, jsonpath_only("InputPath"), "/States/X"),
        (S, "Expected value of type [STRING]", "/States/X/QueryLanguage"),
    ]


def test_nested_states_inherit_the_machine_language_not_the_map_language():
    body = {
        "Type": "Map",
        "QueryLanguage": "JSONata",
        "Items": "{% [1, 2] %}",
        "ItemProcessor": {
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Output": {"d": "{% $states.input * 2 %}"}, "End": True}},
        },
        "End": True,
    }
    assert diags({"StartAt": "M", "States": {"M": body}}) == [
        (S, jsonata_only("Output"), "/States/M/ItemProcessor/States/P")
    ]
    par = {
        "Type": "Parallel",
        "QueryLanguage": "JSONata",
        "End": True,
        "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": {}, "End": True}}}],
    }
    assert diags({"StartAt": "R", "States": {"R": par}}) == [
        (S, jsonata_only("Output"), "/States/R/Branches[0]/States/P")
    ]
    jsonata_machine = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "Output": {}, "End": True}},
                },
                "End": True,
            }
        },
    }
    assert diags(jsonata_machine) == []


@pytest.mark.parametrize(
    "key,where", [("ItemProcessor", "/States/M/ItemProcessor"), ("Iterator", "/States/M/Iterator")]
)
def test_item_processor_cannot_declare_query_language(key, where):
    d = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "End": True,
                key: {
                    "QueryLanguage": "JSONata",
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
            }
        },
    }
    assert diags(d) == [(S, "Field 'QueryLanguage' is not supported", where)]


def test_parallel_branch_cannot_declare_query_language():
    d = {
        "StartAt": "R",
        "States": {
            "R": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "QueryLanguage": "JSONata",
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "End": True}},
                    }
                ],
            }
        },
    }
    assert diags(d) == [(S, "Field 'QueryLanguage' is not supported", "/States/R/Branches[0]")]


def test_assign_is_allowed_in_both_languages():
    assert diags(one({"Type": "Pass", "Assign": {"counter": 1}, "End": True})) == []
    assert (
        diags(one({"Type": "Pass", "Assign": {"counter": "{% 1 %}"}, "End": True}, QueryLanguage="JSONata"))
        == []
    )


# ---------------------------------------------------------------------------------- Next / End


@pytest.mark.parametrize(
    "state_type,extra",
    [
        ("Pass", {}),
        ("Task", {"Resource": LAMBDA}),
        ("Wait", {"Seconds": 1}),
        ("Parallel", {"Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}),
        ("Map", {"ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}}),
    ],
)
def test_next_or_end_required(state_type, extra):
    d = {"StartAt": "X", "States": {"X": {"Type": state_type, **extra}, "Y": {"Type": "Succeed"}}}
    assert (S, "This object should have only one of the following fields: [Next, End]", "/States/X") in diags(
        d
    )


def test_next_and_end_together():
    d = {
        "StartAt": "X",
        "States": {"X": {"Type": "Pass", "Next": "Y", "End": True}, "Y": {"Type": "Succeed"}},
    }
    assert diags(d) == [(S, "There should only be one of the following fields: [Next, End]", "/States/X")]


def test_end_false_without_next_is_not_terminal():
    d = one({"Type": "Pass", "End": False})
    assert diags(d) == [
        (S, "This object should have only one of the following fields: [Next, End]", "/States/X"),
        ("MISSING_END_STATE", "Workflow has no terminal state", None),
    ]


def test_next_and_end_types():
    assert diags(one({"Type": "Pass", "End": "yes"})) == [
        (S, "This object should have only one of the following fields: [Next, End]", "/States/X"),
        (S, "Expected value of type [BOOLEAN]", "/States/X/End"),
        ("MISSING_END_STATE", "Workflow has no terminal state", None),
    ]
    d = {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": 3}, "Y": {"Type": "Succeed"}}}
    assert (S, "Expected value of type [STRING]", "/States/X/Next") in diags(d)


# -------------------------------------------------------------------------------- required fields


def test_required_fields_per_type():
    assert diags(one({"Type": "Task", "End": True})) == [
        (S, "These fields are required: [Resource]", "/States/X")
    ]
    choice = {"StartAt": "X", "States": {"X": {"Type": "Choice", "Default": "Y"}, "Y": {"Type": "Succeed"}}}
    assert diags(choice) == [(S, "These fields are required: [Choices]", "/States/X")]
    assert diags(one({"Type": "Parallel", "End": True})) == [
        (S, "These fields are required: [Branches]", "/States/X")
    ]
    assert diags(one({"Type": "Map", "End": True})) == [
        (
            S,
            "This object should have only one of the following fields: [ItemProcessor, Iterator]",
            "/States/X",
        )
    ]


def test_empty_branches_and_choices():
    assert diags(one({"Type": "Parallel", "Branches": [], "End": True})) == [
        (S, "Value cannot be empty", "/States/X/Branches")
    ]
    choice = {
        "StartAt": "X",
        "States": {"X": {"Type": "Choice", "Choices": [], "Default": "Y"}, "Y": {"Type": "Succeed"}},
    }
    assert diags(choice) == [(S, "Value cannot be empty", "/States/X/Choices")]


def test_branch_needs_start_at_and_states():
    d = one({"Type": "Parallel", "Branches": [{"States": {}}, {"StartAt": "A"}], "End": True})
    assert diags(d) == [
        (S, "These fields are required: [StartAt]", "/States/X/Branches[0]"),
        (S, "These fields are required: [States]", "/States/X/Branches[1]"),
    ]


# ----------------------------------------------------------------------------- exclusive pairs


@pytest.mark.parametrize(
    "state,first,second",
    [
        (
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "TimeoutSeconds": 5,
                "TimeoutSecondsPath": "$.t",
                "End": True,
            },
            "TimeoutSeconds",
            "TimeoutSecondsPath",
        ),
        (
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "HeartbeatSeconds": 5,
                "HeartbeatSecondsPath": "$.h",
                "End": True,
            },
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
        ),
        ({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}, "Error", "ErrorPath"),
        ({"Type": "Fail", "Cause": "C", "CausePath": "$.c"}, "Cause", "CausePath"),
        (
            {
                "Type": "Map",
                "MaxConcurrency": 2,
                "MaxConcurrencyPath": "$.m",
                "End": True,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            },
            "MaxConcurrency",
            "MaxConcurrencyPath",
        ),
    ],
)
def test_literal_and_path_variant_are_exclusive(state, first, second):
    assert diags(one(state)) == [
        (S, f"There should only be one of the following fields: [{first}, {second}]", f"/States/X/{first}")
    ]


def test_wait_needs_exactly_one_timing_field():
    many = one({"Type": "Wait", "Seconds": 1, "Timestamp": "2016-03-14T01:59:00Z", "End": True})
    assert diags(many) == [
        (
            S,
            "There should only be one of the following fields: "
            "[SecondsPath, Seconds, TimestampPath, Timestamp]",
            "/States/X",
        )
    ]
    none = one({"Type": "Wait", "End": True})
    assert diags(none) == [
        (
            S,
            "This object should have only one of the following fields: "
            "[SecondsPath, Seconds, TimestampPath, Timestamp]",
            "/States/X",
        )
    ]
    jsonata = one({"Type": "Wait", "End": True}, QueryLanguage="JSONata")
    assert diags(jsonata) == [
        (S, "This object should have only one of the following fields: [Seconds, Timestamp]", "/States/X")
    ]


# ------------------------------------------------------------------------------ values and ranges


@pytest.mark.parametrize(
    "state,message,where",
    [
        (
            {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 0, "End": True},
            "Minimum value is 1",
            "TimeoutSeconds",
        ),
        (
            {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 100000000, "End": True},
            "Maximum value is 99999999",
            "TimeoutSeconds",
        ),
        (
            {"Type": "Task", "Resource": LAMBDA, "HeartbeatSeconds": "10", "End": True},
            "Expected value of type [INTEGER]",
            "HeartbeatSeconds",
        ),
        ({"Type": "Wait", "Seconds": -1, "End": True}, "Minimum value is 0", "Seconds"),
        ({"Type": "Wait", "Seconds": 1.5, "End": True}, "Expected value of type [INTEGER]", "Seconds"),
        (
            {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00", "End": True},
            "String does not match RFC3339 timestamp",
            "Timestamp",
        ),
        (
            {"Type": "Wait", "Timestamp": "2016-13-14T01:59:00Z", "End": True},
            "String does not match RFC3339 timestamp",
            "Timestamp",
        ),
        (
            {"Type": "Wait", "Timestamp": "2016-03-14t01:59:00z", "End": True},
            "String does not match RFC3339 timestamp",
            "Timestamp",
        ),
        ({"Type": "Fail", "Error": 5}, "Expected value of type [STRING]", "Error"),
    ],
)
def test_field_values(state, message, where):
    assert diags(one(state)) == [(S, message, f"/States/X/{where}")]


@pytest.mark.parametrize(
    "timestamp",
    [
        "2016-03-14T01:59:00Z",
        "2016-03-14T01:59:00.000000Z",
        "2016-03-14T01:59:00.00Z",
        "2016-03-14T01:59:00+01:00",
    ],
)
def test_valid_timestamps(timestamp):
    assert diags(one({"Type": "Wait", "Timestamp": timestamp, "End": True})) == []


def test_map_numbers():
    proc = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    d = one(
        {
            "Type": "Map",
            "ItemProcessor": proc,
            "MaxConcurrency": -1,
            "ToleratedFailurePercentage": 101,
            "ToleratedFailureCount": -2,
            "End": True,
        }
    )
    assert diags(d) == [
        (S, "Minimum value is 0", "/States/X/MaxConcurrency"),
        (S, "Maximum value is 100.0", "/States/X/ToleratedFailurePercentage"),
        (S, "Minimum value is 0", "/States/X/ToleratedFailureCount"),
    ]
    big = one({"Type": "Map", "ItemProcessor": proc, "MaxConcurrency": 9223372036854775807, "End": True})
    assert diags(big) == []


def test_nested_field_error_has_the_structured_location():
    d = {
        "StartAt": "Outer",
        "States": {
            "Outer": {
                "Type": "Map",
                "End": True,
                "ItemProcessor": {
                    "StartAt": "Inner",
                    "States": {
                        "Inner": {
                            "Type": "Map",
                            "MaxConcurrency": -1,
                            "End": True,
                            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                        }
                    },
                },
            }
        },
    }
    assert diags(d) == [(S, "Minimum value is 0", "/States/Outer/ItemProcessor/States/Inner/MaxConcurrency")]


def test_jsonata_values_may_be_expressions():
    d = one(
        {
            "Type": "Task",
            "Resource": LAMBDA,
            "TimeoutSeconds": "{% 120 %}",
            "HeartbeatSeconds": "{% 20 %}",
            "Arguments": "{% $states.input %}",
            "End": True,
        },
        QueryLanguage="JSONata",
    )
    assert diags(d) == []
    w = one({"Type": "Wait", "Seconds": "{% $states.input.n %}", "End": True}, QueryLanguage="JSONata")
    assert diags(w) == []
    # in JSONPath the same string is just a wrongly typed value
    p = one({"Type": "Wait", "Seconds": "{% 1 %}", "End": True})
    assert diags(p) == [(S, "Expected value of type [INTEGER]", "/States/X/Seconds")]


def test_credentials_need_a_role_arn():
    d = one({"Type": "Task", "Resource": LAMBDA, "Credentials": {}, "End": True})
    assert diags(d) == [(S, "The field 'RoleArn' is required but was missing", "/States/X/Credentials")]
    ok = one({"Type": "Task", "Resource": LAMBDA, "Credentials": {"RoleArn.$": "$.role"}, "End": True})
    assert diags(ok) == []


def test_processor_config():
    proc = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
        "ProcessorConfig": {"Mode": "DISTRIBUTED"},
    }
    d = one({"Type": "Map", "ItemProcessor": proc, "End": True})
    assert diags(d) == [
        (S, "These fields are required: [ExecutionType]", "/States/X/ItemProcessor/ProcessorConfig")
    ]
    proc["ProcessorConfig"] = {"Mode": "INLINE", "ExecutionType": "STANDARD"}
    assert diags(d) == [
        (S, "Field 'ExecutionType' is not supported", "/States/X/ItemProcessor/ProcessorConfig")
    ]


@pytest.mark.parametrize(
    "label,message",
    [
        ("", "Label cannot be empty"),
        ("x" * 41, "Label cannot exceed 40 characters"),
        ("a b", "Label contains invalid character: ' '"),
        ("a|b", "Label contains invalid character: '|'"),
    ],
)
def test_map_label(label, message):
    proc = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    assert diags(one({"Type": "Map", "ItemProcessor": proc, "Label": label, "End": True})) == [
        (S, message, "/States/X/Label")
    ]


def test_item_reader_resource():
    proc = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    }
    bad = one(
        {
            "Type": "Map",
            "ItemProcessor": proc,
            "End": True,
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:unknownOperation",
                "Parameters": {"Bucket": "b", "Key": "k"},
            },
        }
    )
    [(code, _m, where)] = diags(bad)
    assert (code, where) == (S, "/States/X/ItemReader/Resource")
    good = one(
        {
            "Type": "Map",
            "ItemProcessor": proc,
            "End": True,
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSON"},
                "Parameters": {"Bucket": "b", "Key": "k"},
            },
        }
    )
    assert diags(good) == []


def _distributed(**map_fields):
    proc = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    }
    return one({"Type": "Map", "ItemProcessor": proc, "End": True, **map_fields})


def test_item_batcher_and_reader_numbers():
    # AWS measured (floci-io/floci #3733)
    d = _distributed(
        ItemBatcher={"MaxItemsPerBatch": -1, "MaxInputBytesPerBatch": 5, "MaxInputBytesPerBatchPath": "$.b"},
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "Parameters": {"Bucket": "b", "Key": "k"},
            "ReaderConfig": {"InputType": "JSON", "MaxItems": 100000001},
        },
    )
    assert diags(d) == [
        (S, "Maximum value is 100000000", "/States/X/ItemReader/ReaderConfig/MaxItems"),
        (S, "Minimum value is 0", "/States/X/ItemBatcher/MaxItemsPerBatch"),
        (
            S,
            "There should only be one of the following fields: [MaxInputBytesPerBatch, MaxInputBytesPerBatchPath]",
            "/States/X/ItemBatcher/MaxInputBytesPerBatch",
        ),
    ]


def test_item_batcher_paths():
    ctx = _distributed(ItemBatcher={"MaxItemsPerBatchPath": "$$.Execution.Input.n"})
    assert diags(ctx) == [(S, "Value is not a Reference Path", "/States/X/ItemBatcher/MaxItemsPerBatchPath")]
    jsonata = _distributed(ItemBatcher={"MaxItemsPerBatchPath": "$.n"})
    jsonata["QueryLanguage"] = "JSONata"
    assert diags(jsonata) == [
        (S, jsonpath_only("MaxItemsPerBatchPath"), "/States/X/ItemBatcher/MaxItemsPerBatchPath")
    ]


def test_reader_input_type_and_writer_resource():
    d = _distributed(
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "XML"},
            "Parameters": {"Bucket": "b", "Key": "k"},
        },
        ResultWriter={"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b"}},
    )
    assert [(c, w) for c, _m, w in diags(d)] == [
        (S, "/States/X/ItemReader/ReaderConfig/InputType"),
        (S, "/States/X/ResultWriter/Resource"),
    ]


def test_result_writer_parameters_follow_the_language():
    jsonata = _distributed(
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Arguments": {"Bucket": "b"},
            "Parameters": {"Bucket": "x"},
        }
    )
    jsonata["QueryLanguage"] = "JSONata"
    assert diags(jsonata) == [(S, jsonpath_only("Parameters"), "/States/X/ResultWriter/Parameters")]
    jsonpath = _distributed(
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "b"},
            "Arguments": {"Bucket": "x"},
        }
    )
    assert diags(jsonpath) == [(S, jsonata_only("Arguments"), "/States/X/ResultWriter/Arguments")]


def test_item_batcher_needs_a_limit():
    d = _distributed(ItemBatcher={"BatchInput": {"a": 1}})
    assert diags(d) == [
        (
            S,
            "This object should have at least one of the following fields: [MaxItemsPerBatch, "
            "MaxItemsPerBatchPath, MaxInputBytesPerBatch, MaxInputBytesPerBatchPath]",
            "/States/X/ItemBatcher",
        )
    ]
    assert diags(_distributed(ItemBatcher={"MaxInputBytesPerBatch": 1024})) == []
