"""Exports to and imports from S3: ExportTableToPointInTime, DescribeExport, ListExports,
ImportTable, DescribeImport, ListImports, against the world's S3 (the S3 client of the same
Emulator reads what an export wrote and holds what an import reads).

Through the three doors (``ddb``); the S3 objects are seeded and read with the native S3 client.
Rules and sources: docs/dynamodb-conformance.md, section "Exports to and imports from S3".
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import math

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import create_hash_table, err

UTC = dt.timezone.utc
ON = {"PointInTimeRecoveryEnabled": True}
KEY = [{"AttributeName": "id", "KeyType": "HASH"}]
DEFS_S = [{"AttributeName": "id", "AttributeType": "S"}]


def at(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, UTC)


def _table(ddb, name: str = "src", pitr: bool = True) -> str:
    create_hash_table(ddb, name)
    if pitr:
        ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification=ON)
    return ddb.describe_table(TableName=name)["Table"]["TableArn"]


def _put(ddb, key: str, value: str, name: str = "src") -> None:
    ddb.put_item(TableName=name, Item={"id": {"S": key}, "v": {"S": value}})


def _s3(aws, bucket: str = "out"):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=bucket)
    return s3


def _read(s3, bucket: str, key: str) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def _data_lines(s3, bucket: str, description: dict) -> list[dict]:
    summary = json.loads(_read(s3, bucket, description["ExportManifest"]))
    files = [json.loads(line) for line in _read(s3, bucket, summary["manifestFilesS3Key"]).splitlines()]
    lines = []
    for entry in files:
        text = gzip.decompress(_read(s3, bucket, entry["dataFileS3Key"])).decode("utf-8")
        lines += [json.loads(line) for line in text.splitlines()]
    return lines


# --- exports ------------------------------------------------------------------------------------


def test_export_needs_point_in_time_recovery(ddb, aws):
    arn = _table(ddb, pitr=False)
    _s3(aws)
    code, message = err(ddb.export_table_to_point_in_time, TableArn=arn, S3Bucket="out")
    assert (code, message) == ("PointInTimeRecoveryUnavailableException", M.pitr_not_enabled("src"))


def test_export_of_an_unknown_table_is_table_not_found(ddb, aws):
    arn = _table(ddb).replace("/src", "/nope")
    assert err(ddb.export_table_to_point_in_time, TableArn=arn, S3Bucket="out")[0] == "TableNotFoundException"


def test_full_export_writes_the_aws_layout_under_the_prefix(ddb, aws):
    arn = _table(ddb)
    s3 = _s3(aws)
    _put(ddb, "a", "1")
    ddb.put_item(TableName="src", Item={"id": {"S": "b"}, "bin": {"B": b"\x00\x01"}, "n": {"N": "1.50"}})
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out", S3Prefix="exp")[
        "ExportDescription"
    ]
    assert started["ExportStatus"] == "IN_PROGRESS"
    assert (started["TableArn"], started["ExportFormat"], started["ExportType"]) == (
        arn,
        "DYNAMODB_JSON",
        "FULL_EXPORT",
    )
    export_id = started["ExportArn"].rsplit("/", 1)[1]
    assert started["ExportArn"] == f"{arn}/export/{export_id}"
    done = ddb.describe_export(ExportArn=started["ExportArn"])["ExportDescription"]
    assert (done["ExportStatus"], done["ItemCount"]) == ("COMPLETED", 2)
    base = f"exp/AWSDynamoDB/{export_id}"
    assert done["ExportManifest"] == f"{base}/manifest-summary.json"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="out")["Contents"]]
    data = [k for k in keys if k.startswith(f"{base}/data/")]
    assert len(data) == 1 and data[0].endswith(".json.gz")
    for name in ("_started", "manifest-files.json", "manifest-files.checksum", "manifest-summary.json"):
        assert f"{base}/{name}" in keys
    summary = json.loads(_read(s3, "out", done["ExportManifest"]))
    assert summary["version"] == "2020-06-30"
    assert (summary["exportArn"], summary["tableArn"], summary["s3Bucket"], summary["s3Prefix"]) == (
        started["ExportArn"],
        arn,
        "out",
        "exp",
    )
    assert (summary["itemCount"], summary["outputFormat"]) == (2, "DYNAMODB_JSON")
    assert summary["manifestFilesS3Key"] == f"{base}/manifest-files.json"
    [files] = [json.loads(x) for x in _read(s3, "out", summary["manifestFilesS3Key"]).splitlines()]
    assert (files["itemCount"], files["dataFileS3Key"]) == (2, data[0])
    lines = sorted(_data_lines(s3, "out", done), key=lambda line: line["Item"]["id"]["S"])
    assert lines == [
        {"Item": {"id": {"S": "a"}, "v": {"S": "1"}}},
        {"Item": {"id": {"S": "b"}, "bin": {"B": "AAE="}, "n": {"N": "1.5"}}},
    ]


def test_export_time_reads_the_table_as_it_stood_then(ddb, aws):
    arn = _table(ddb)
    s3 = _s3(aws)
    _put(ddb, "a", "old")
    then = aws.clock.now()
    aws.clock.advance(seconds=60)
    _put(ddb, "a", "new")
    _put(ddb, "b", "new")
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out", ExportTime=at(then))
    done = ddb.describe_export(ExportArn=started["ExportDescription"]["ExportArn"])["ExportDescription"]
    assert done["ExportTime"] == at(math.floor(then))  # to the second
    assert _data_lines(s3, "out", done) == [{"Item": {"id": {"S": "a"}, "v": {"S": "old"}}}]


def test_export_time_outside_the_recovery_window_is_refused(ddb, aws):
    arn = _table(ddb)
    _s3(aws)
    for when in (aws.clock.now() - 3600, aws.clock.now() + 3600):
        code, message = err(
            ddb.export_table_to_point_in_time, TableArn=arn, S3Bucket="out", ExportTime=at(when)
        )
        assert (code, message) == ("InvalidExportTimeException", M.EXPORT_TIME_OUTSIDE_WINDOW)


def test_export_into_a_missing_bucket_fails(ddb, aws):
    arn = _table(ddb)
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="absent")["ExportDescription"]
    done = ddb.describe_export(ExportArn=started["ExportArn"])["ExportDescription"]
    assert (done["ExportStatus"], done["FailureCode"]) == ("FAILED", "S3NoSuchBucket")
    assert "absent" not in {b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]}


@pytest.mark.emulator(table_transition_seconds=30, auto_advance=False)
def test_an_export_completes_on_the_clock(ddb, aws):
    arn = _table(ddb)
    aws.clock.advance(seconds=30)  # the table's own CREATING
    _s3(aws)
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out")["ExportDescription"]
    assert (
        ddb.describe_export(ExportArn=started["ExportArn"])["ExportDescription"]["ExportStatus"]
        == "IN_PROGRESS"
    )
    assert not aws.client("s3").list_objects_v2(Bucket="out").get("Contents")
    aws.clock.advance(seconds=30)
    done = ddb.describe_export(ExportArn=started["ExportArn"])["ExportDescription"]
    assert (done["ExportStatus"], done["EndTime"]) == ("COMPLETED", at(aws.clock.now()))


def test_incremental_export_writes_each_changed_key_once(ddb, aws):
    arn = _table(ddb)
    s3 = _s3(aws)
    _put(ddb, "kept", "0")
    _put(ddb, "gone", "0")
    start = aws.clock.now() + 1
    aws.clock.advance(seconds=1)
    _put(ddb, "kept", "1")
    _put(ddb, "kept", "2")
    _put(ddb, "born", "1")
    ddb.delete_item(TableName="src", Key={"id": {"S": "gone"}})
    aws.clock.advance(seconds=20 * 60)
    spec = {"ExportFromTime": at(start), "ExportToTime": at(aws.clock.now())}
    started = ddb.export_table_to_point_in_time(
        TableArn=arn, S3Bucket="out", ExportType="INCREMENTAL_EXPORT", IncrementalExportSpecification=spec
    )["ExportDescription"]
    done = ddb.describe_export(ExportArn=started["ExportArn"])["ExportDescription"]
    assert done["IncrementalExportSpecification"]["ExportViewType"] == "NEW_AND_OLD_IMAGES"
    lines = {line["Keys"]["id"]["S"]: line for line in _data_lines(s3, "out", done)}
    assert set(lines) == {"kept", "born", "gone"}
    assert (lines["kept"]["OldImage"]["v"], lines["kept"]["NewImage"]["v"]) == ({"S": "0"}, {"S": "2"})
    assert "OldImage" not in lines["born"] and "NewImage" not in lines["gone"]
    assert set(lines["kept"]["Metadata"]) == {"WriteTimestampMicros"}


def test_incremental_export_rules(ddb, aws):
    arn = _table(ddb)
    _s3(aws)
    now = aws.clock.now()
    base = {"TableArn": arn, "S3Bucket": "out", "ExportType": "INCREMENTAL_EXPORT"}
    assert err(ddb.export_table_to_point_in_time, **base) == (
        "ValidationException",
        M.INCREMENTAL_SPEC_REQUIRED,
    )
    short = {"ExportFromTime": at(now - 60), "ExportToTime": at(now)}
    code, message = err(ddb.export_table_to_point_in_time, **base, IncrementalExportSpecification=short)
    assert (code, message) == ("ValidationException", M.INCREMENTAL_PERIOD)


def test_ion_export_writes_ion_text(ddb, aws):
    arn = _table(ddb)
    s3 = _s3(aws)
    ddb.put_item(
        TableName="src",
        Item={"id": {"S": "a"}, "n": {"N": "103"}, "ss": {"SS": ["x", "y"]}, "ok": {"BOOL": False}},
    )
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out", ExportFormat="ION")
    done = ddb.describe_export(ExportArn=started["ExportDescription"]["ExportArn"])["ExportDescription"]
    summary = json.loads(_read(s3, "out", done["ExportManifest"]))
    [files] = [json.loads(x) for x in _read(s3, "out", summary["manifestFilesS3Key"]).splitlines()]
    assert files["dataFileS3Key"].endswith(".ion.gz")
    text = gzip.decompress(_read(s3, "out", files["dataFileS3Key"])).decode("utf-8")
    assert text == '$ion_1_0 {Item:{id:"a",n:103.,ss:$dynamodb_SS::["x","y"],ok:false}}\n'


def test_describe_and_list_exports(ddb, aws):
    arn = _table(ddb)
    _s3(aws)
    arns = [
        ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out")["ExportDescription"]["ExportArn"]
        for _ in range(3)
    ]
    missing = arns[0][:-8] + "00000000"
    assert err(ddb.describe_export, ExportArn=missing) == (
        "ExportNotFoundException",
        M.export_not_found(missing),
    )
    first = ddb.list_exports(TableArn=arn, MaxResults=2)
    assert [e["ExportArn"] for e in first["ExportSummaries"]] == arns[:2]
    rest = ddb.list_exports(TableArn=arn, MaxResults=2, NextToken=first["NextToken"])
    assert [e["ExportArn"] for e in rest["ExportSummaries"]] == arns[2:]
    assert "NextToken" not in rest
    assert rest["ExportSummaries"][0] == {
        "ExportArn": arns[2],
        "ExportStatus": "COMPLETED",
        "ExportType": "FULL_EXPORT",
    }


def test_a_client_token_makes_an_export_idempotent(ddb, aws):
    arn = _table(ddb)
    _s3(aws)
    one = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out", ClientToken="t1")
    two = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out", ClientToken="t1")
    assert one["ExportDescription"]["ExportArn"] == two["ExportDescription"]["ExportArn"]
    code, _ = err(
        ddb.export_table_to_point_in_time, TableArn=arn, S3Bucket="out", S3Prefix="x", ClientToken="t1"
    )
    assert code == "ExportConflictException"


# --- imports ------------------------------------------------------------------------------------


def _params(name: str = "dst", defs=DEFS_S, key=KEY) -> dict:
    return {
        "TableName": name,
        "AttributeDefinitions": defs,
        "KeySchema": key,
        "BillingMode": "PAY_PER_REQUEST",
    }


def _import(ddb, prefix: str, fmt: str = "DYNAMODB_JSON", **kw) -> dict:
    started = ddb.import_table(
        S3BucketSource={"S3Bucket": "inbox", "S3KeyPrefix": prefix},
        InputFormat=fmt,
        TableCreationParameters=kw.pop("params", _params()),
        **kw,
    )["ImportTableDescription"]
    assert started["ImportStatus"] == "IN_PROGRESS"
    return ddb.describe_import(ImportArn=started["ImportArn"])["ImportTableDescription"]


def _items(ddb, name: str = "dst") -> dict:
    return {i["id"]["S"]: i for i in ddb.scan(TableName=name, ConsistentRead=True)["Items"]}


def test_an_export_imports_back_into_a_new_table(ddb, aws):
    arn = _table(ddb)
    _s3(aws, "out")
    s3 = _s3(aws, "inbox")
    _put(ddb, "a", "1")
    ddb.put_item(
        TableName="src", Item={"id": {"S": "b"}, "bs": {"BS": [b"\x01"]}, "m": {"M": {"x": {"NULL": True}}}}
    )
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out")["ExportDescription"]
    done = ddb.describe_export(ExportArn=started["ExportArn"])["ExportDescription"]
    summary = json.loads(_read(s3, "out", done["ExportManifest"]))
    for line in _read(s3, "out", summary["manifestFilesS3Key"]).splitlines():
        key = json.loads(line)["dataFileS3Key"]
        s3.put_object(Bucket="inbox", Key="data/" + key.rsplit("/", 1)[1], Body=_read(s3, "out", key))
    imported = _import(ddb, "data/", InputCompressionType="GZIP")
    assert imported["ImportStatus"] == "COMPLETED"
    assert (imported["ProcessedItemCount"], imported["ImportedItemCount"], imported["ErrorCount"]) == (
        2,
        2,
        0,
    )
    assert imported["TableArn"].endswith(":table/dst")
    assert imported["ImportArn"].startswith(imported["TableArn"] + "/import/")
    assert _items(ddb) == _items(ddb, "src")


def test_bad_lines_are_counted_and_not_imported(ddb, aws):
    s3 = _s3(aws, "inbox")
    body = "\n".join(
        [
            '{"Item": {"id": {"S": "ok"}}}',
            "not json",
            '{"Item": {"other": {"S": "no key"}}}',
            '{"Item": {"id": {"N": "1"}}}',
            '{"Item": {"id": {"S": "ok"}, "v": {"S": "again"}}}',
        ]
    )
    s3.put_object(Bucket="inbox", Key="src/part-1.json", Body=body.encode())
    imported = _import(ddb, "src/")
    assert (imported["ImportStatus"], imported["ProcessedItemCount"]) == ("COMPLETED", 5)
    assert (imported["ErrorCount"], imported["ImportedItemCount"]) == (3, 1)
    assert _items(ddb) == {"ok": {"id": {"S": "ok"}, "v": {"S": "again"}}}


def test_csv_import_types_the_keys_and_reads_the_rest_as_strings(ddb, aws):
    s3 = _s3(aws, "inbox")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["id", "n", "note"], ["1", "10", "a, b"], ["2", "", "x"]])
    s3.put_object(Bucket="inbox", Key="csv/one.csv", Body=gzip.compress(out.getvalue().encode()))
    defs = [{"AttributeName": "id", "AttributeType": "N"}]
    imported = _import(ddb, "csv/", "CSV", InputCompressionType="GZIP", params=_params(defs=defs))
    assert (imported["ImportedItemCount"], imported["ErrorCount"]) == (2, 0)
    items = {i["id"]["N"]: i for i in ddb.scan(TableName="dst")["Items"]}
    assert items == {
        "1": {"id": {"N": "1"}, "n": {"S": "10"}, "note": {"S": "a, b"}},
        "2": {"id": {"N": "2"}, "note": {"S": "x"}},
    }


def test_csv_import_with_a_header_list_and_a_delimiter(ddb, aws):
    s3 = _s3(aws, "inbox")
    s3.put_object(Bucket="inbox", Key="csv/one.csv", Body=b"a|1\nb|2\n")
    options = {"Csv": {"Delimiter": "|", "HeaderList": ["id", "v"]}}
    imported = _import(ddb, "csv/", "CSV", InputFormatOptions=options)
    assert imported["InputFormatOptions"] == options
    assert _items(ddb) == {"a": {"id": {"S": "a"}, "v": {"S": "1"}}, "b": {"id": {"S": "b"}, "v": {"S": "2"}}}


def test_import_into_an_existing_table_is_refused(ddb, aws):
    _s3(aws, "inbox")
    create_hash_table(ddb, "dst")
    code, _ = err(
        ddb.import_table,
        S3BucketSource={"S3Bucket": "inbox"},
        InputFormat="CSV",
        TableCreationParameters=_params(),
    )
    assert code == "ResourceInUseException"


def test_import_from_a_missing_bucket_fails(ddb, aws):
    started = ddb.import_table(
        S3BucketSource={"S3Bucket": "absent"}, InputFormat="CSV", TableCreationParameters=_params()
    )["ImportTableDescription"]
    done = ddb.describe_import(ImportArn=started["ImportArn"])["ImportTableDescription"]
    assert (done["ImportStatus"], done["FailureCode"]) == ("FAILED", "S3NoSuchBucket")


def test_describe_and_list_imports(ddb, aws):
    _s3(aws, "inbox")
    arns = [
        ddb.import_table(
            S3BucketSource={"S3Bucket": "inbox"},
            InputFormat="CSV",
            TableCreationParameters=_params(f"dst{i}"),
        )["ImportTableDescription"]["ImportArn"]
        for i in range(3)
    ]
    missing = arns[0][:-8] + "00000000"
    assert err(ddb.describe_import, ImportArn=missing) == (
        "ImportNotFoundException",
        M.import_not_found(missing),
    )
    first = ddb.list_imports(PageSize=2)
    assert [i["ImportArn"] for i in first["ImportSummaryList"]] == arns[:2]
    assert len(first["NextToken"]) >= 112
    rest = ddb.list_imports(PageSize=2, NextToken=first["NextToken"])
    assert [i["ImportArn"] for i in rest["ImportSummaryList"]] == arns[2:]
    only = ddb.list_imports(TableArn=rest["ImportSummaryList"][0]["TableArn"])["ImportSummaryList"]
    assert [i["ImportArn"] for i in only] == arns[2:]


def test_ion_export_writes_numbers_as_the_dgs_decimals(ddb, aws):
    """EX: N is an Ion decimal as the DG's example writes it (``Id:103.``, ``PageCount:6d2``)."""
    arn = _table(ddb)
    s3 = _s3(aws)
    ddb.put_item(
        TableName="src",
        Item={"id": {"S": "a"}, "n": {"N": "600"}, "p": {"N": "2000"}, "f": {"N": "1.50"}, "z": {"N": "0"}},
    )
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out", ExportFormat="ION")
    done = ddb.describe_export(ExportArn=started["ExportDescription"]["ExportArn"])["ExportDescription"]
    summary = json.loads(_read(s3, "out", done["ExportManifest"]))
    [files] = [json.loads(x) for x in _read(s3, "out", summary["manifestFilesS3Key"]).splitlines()]
    text = gzip.decompress(_read(s3, "out", files["dataFileS3Key"])).decode("utf-8")
    assert text == '$ion_1_0 {Item:{id:"a",n:6d2,p:2d3,f:1.5,z:0.}}\n'


def test_the_dgs_ion_example_imports(ddb, aws):
    """IM: ION input, the DG's example line (an Ion decimal, sets by annotation), and a blob, a
    list, a map and null; a line that is not Ion counts as an error."""
    pytest.importorskip("amazon.ion", reason="ION input needs the ion extra (amazon.ion)")
    s3 = _s3(aws, "inbox")
    lines = [
        '$ion_1_0 {Item:{Authors:$dynamodb_SS::["Author1","Author2"],Dimensions:"8.5 x 11.0 x 1.5",'
        'ISBN:"333-3333333333",id:"103",InPublication:false,PageCount:6d2,Price:2d3,'
        'ProductCategory:"Book",Title:"Book 103 Title"}}',
        '$ion_1_0 {Item:{id:"b",blob:{{aGk=}},l:[1,"x",null],m:{k:1.5},ns:$dynamodb_NS::[1.,2d1]}}',
        "$ion_1_0 {Item:{id:",
    ]
    s3.put_object(Bucket="inbox", Key="ion/part.ion", Body="\n".join(lines).encode())
    imported = _import(ddb, "ion/", "ION")
    assert (imported["ImportStatus"], imported["ProcessedItemCount"], imported["ErrorCount"]) == (
        "COMPLETED",
        3,
        1,
    )
    items = _items(ddb)
    assert items["103"]["PageCount"] == {"N": "600"} and items["103"]["Price"] == {"N": "2000"}
    assert items["103"]["Authors"] == {"SS": ["Author1", "Author2"]}
    assert items["103"]["InPublication"] == {"BOOL": False}
    assert items["b"]["blob"] == {"B": b"hi"}
    assert items["b"]["l"] == {"L": [{"N": "1"}, {"S": "x"}, {"NULL": True}]}
    assert items["b"]["m"] == {"M": {"k": {"N": "1.5"}}}
    assert sorted(items["b"]["ns"]["NS"]) == ["1", "20"]


def test_an_ion_export_imports_back_into_a_new_table(ddb, aws):
    pytest.importorskip("amazon.ion", reason="ION input needs the ion extra (amazon.ion)")
    arn = _table(ddb)
    _s3(aws, "out")
    s3 = _s3(aws, "inbox")
    ddb.put_item(
        TableName="src",
        Item={
            "id": {"S": "a"},
            "n": {"N": "-12.5"},
            "bs": {"BS": [b"\x01"]},
            "m": {"M": {"x": {"NULL": True}, "q": {"L": [{"BOOL": True}]}}},
        },
    )
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="out", ExportFormat="ION")
    done = ddb.describe_export(ExportArn=started["ExportDescription"]["ExportArn"])["ExportDescription"]
    summary = json.loads(_read(s3, "out", done["ExportManifest"]))
    for line in _read(s3, "out", summary["manifestFilesS3Key"]).splitlines():
        key = json.loads(line)["dataFileS3Key"]
        s3.put_object(Bucket="inbox", Key="data/" + key.rsplit("/", 1)[1], Body=_read(s3, "out", key))
    imported = _import(ddb, "data/", "ION", InputCompressionType="GZIP")
    assert (imported["ImportStatus"], imported["ErrorCount"]) == ("COMPLETED", 0)
    assert _items(ddb) == _items(ddb, "src")
