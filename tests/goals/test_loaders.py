"""Loading customer books from real CSV files: bad cells are named by line and column."""

import os
from pathlib import Path

import pandas as pd
import pytest

from salestrain.base.errors import DataError
from salestrain.core.accounts import analysis as acc
from salestrain.core.accounts import buying_centre
from salestrain.core.accounts.synthetic import generate_book
from salestrain.io.accounts import load_contacts, load_customers, load_transactions


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_generated_book_survives_a_round_trip_through_csv(tmp_path):
    book = generate_book(n_customers=30, seed=1)
    book.customers.to_csv(tmp_path / "customers.csv", index=False)
    book.transactions.to_csv(tmp_path / "transactions.csv", index=False)
    book.contacts.to_csv(tmp_path / "contacts.csv", index=False)
    customers = load_customers(tmp_path / "customers.csv")
    tx = load_transactions(tmp_path / "transactions.csv", customers)
    contacts = load_contacts(tmp_path / "contacts.csv")
    pd.testing.assert_series_equal(acc.customer_totals(tx)["revenue"],
                                   acc.customer_totals(book.transactions)["revenue"])
    assert customers["renewal_rate"].tolist() == book.customers["renewal_rate"].tolist()
    cov_file = buying_centre.coverage(contacts, customers["customer_id"])
    cov_mem = buying_centre.coverage(book.contacts, book.customers["customer_id"])
    assert cov_file["met"].tolist() == cov_mem["met"].tolist()


def test_bad_cells_are_reported_with_line_column_value_and_fix(tmp_path):
    path = write(tmp_path / "tx.csv",
                 "date,customer_id,product_line,revenue,margin\n"
                 "2025-01-05,C001,job_ads,12000,3000\n"
                 "2025-13-01,C001,job_ads,\"12,000\",3000\n"
                 "2025-02-01,,campus,5000,9000\n")
    with pytest.raises(DataError) as info:
        load_transactions(path)
    text = str(info.value)
    problems = {(p.line, p.field) for p in info.value.problems}
    # One grammar (issue 12): "12,000" is a number here as in the funnel, so line 3 has
    # only its impossible date wrong.
    assert problems == {(3, "date"), (4, "customer_id"), (4, "margin")}
    assert "revenue" not in {p.field for p in info.value.problems}
    assert f"{path}:3: date: '2025-13-01' is not valid" in text
    assert "YYYY-MM-DD" in text
    fixed = write(tmp_path / "ok.csv", "date,customer_id,product_line,revenue,margin\n"
                  "2025-01-05,C001,job_ads,\"12,000\",3000\n2025-01-06,C001,job_ads,12 500,1e3\n")
    assert load_transactions(fixed)["revenue"].tolist() == [12000.0, 12500.0]


def test_margin_larger_than_revenue_and_unknown_customers(tmp_path):
    customers = pd.DataFrame({"customer_id": ["C001"], "name": ["Lotus Bay Foods"], "rep": ["Ada Wen"]})
    path = write(tmp_path / "tx.csv",
                 "date,customer_id,product_line,revenue,margin\n"
                 "2025-01-05,C001,job_ads,1000,3000\n"
                 "2025-01-06,C009,job_ads,1000,300\n")
    with pytest.raises(DataError) as info:
        load_transactions(path, customers)
    text = str(info.value)
    assert ":2: margin: margin 3000.0 is larger than revenue 1000.0" in text
    assert ":3: customer_id: customer 'C009' is not in the customers table" in text


def test_missing_columns_are_listed_with_what_was_found(tmp_path):
    path = write(tmp_path / "customers.csv", "id,name\nC001,Lotus Bay Foods\n")
    with pytest.raises(DataError, match=r"column 'customer_id' is missing \(found: id, name\)") as info:
        load_customers(path)
    assert {p.field for p in info.value.problems} == {"customer_id", "rep"}


def test_duplicate_ids_bad_rates_and_roles(tmp_path):
    path = write(tmp_path / "customers.csv",
                 "customer_id,name,rep,renewal_rate\nC001,A Co,Ada,0.8\nC001,B Co,Ada,80%\nC002,C Co,Ada,1.5\n")
    with pytest.raises(DataError) as info:
        load_customers(path)
    text = str(info.value)
    assert ":3: customer_id: customer id 'C001' already appears on line 2" in text
    # One grammar (issue 12): "80%" is the share 0.8 here as in the funnel.
    assert "renewal_rate" not in {p.field for p in info.value.problems if p.line == 3}
    assert ":4: renewal_rate: 1.5 is not valid; write a share between 0 and 1" in text
    ok = load_customers(pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["A", "B"],
                                      "rep": ["Ada", "Ada"], "renewal_rate": ["80%", "0.8"]}))
    assert ok["renewal_rate"].tolist() == [0.8, 0.8]
    contacts = pd.DataFrame({"customer_id": ["C001"], "role": ["boss"], "name": ["Hu"], "met": ["yes"]})
    with pytest.raises(DataError, match="contacts:1: role: .boss. is not valid; use one of decision maker"):
        load_contacts(contacts)


def test_dataframes_are_accepted_and_rows_counted_from_one():
    df = pd.DataFrame({"date": ["2025-01-01", "soon"], "customer_id": ["C1", "C2"],
                       "product_line": ["x", "y"], "revenue": [1.0, 2.0], "margin": [0.5, 1.0]})
    with pytest.raises(DataError, match="transactions:2: date: 'soon'"):
        load_transactions(df)
    ok = load_transactions(df.iloc[:1])
    assert ok["date"].dtype.kind == "M" and ok["revenue"].tolist() == [1.0]


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_transactions(tmp_path / "nope.csv")


def test_a_case_exhibit_contact_list_gives_buying_centre_coverage(tmp_path):
    # the shape of a case exhibit: one account, roles in words, meetings instead of met
    path = write(tmp_path / "contacts.csv",
                 "contact_id,name,title,role,meetings_12m,last_met\n"
                 "X01,Song Hua,Vice President,decision maker,0,\n"
                 "X02,Zhou Lin,IT director,User,4,2025-06-01\n"
                 "X03,Qian Yu,Procurement lead,technical buyer,2,2025-05-01\n")
    contacts = load_contacts(path, account="Xinhe")
    assert contacts["role"].tolist() == ["decision_maker", "user", "purchaser"]
    assert contacts["met"].tolist() == [False, True, True]
    assert contacts["title"].tolist()[0] == "Vice President"  # other columns kept
    cov = buying_centre.coverage(contacts, ["Xinhe"])
    assert cov.loc["Xinhe", "known"] == 3 and cov.loc["Xinhe", "met"] == 2
    assert cov.loc["Xinhe", "missing"] == ["decision_maker", "contact"]
    bad = write(tmp_path / "bad.csv", "name,role,meetings_12m\nA,boss,1\nB,user,often\n")
    with pytest.raises(DataError, match=r"bad.csv:3: meetings_12m: 'often' is not valid"):
        load_contacts(bad, account="Xinhe")


def test_the_cli_writes_a_sample_book_and_analyses_it_and_names_a_bad_cell(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "salestrain", *args], cwd=tmp_path,  # noqa: E731
                                       capture_output=True, text=True, env=env)
    made = run("sample-book", "book", "--customers", "40", "--seed", "2")
    assert made.returncode == 0, made.stderr
    assert "40 customers" in made.stdout
    out = run("accounts", "book", "--alerts", "2", "--as-of", "2025-09-30")
    assert out.returncode == 0, out.stderr
    book = generate_book(n_customers=40, seed=2)
    assert book.as_of.isoformat() == "2025-09-30"
    n_alerts = len(acc.churn_alerts(acc.churn_signals(book.customers, book.transactions, book.as_of)))
    assert f"Churn alerts: {n_alerts}" in out.stdout
    assert "tier A:" in out.stdout and "Traceback" not in out.stderr
    lines = (tmp_path / "book" / "transactions.csv").read_text().splitlines()
    date_, cid, line, _, margin = lines[3].split(",")
    lines[3] = ",".join([date_, cid, line, "12k", margin])
    (tmp_path / "book" / "transactions.csv").write_text("\n".join(lines) + "\n")
    bad = run("accounts", "book")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "transactions.csv:4: revenue: '12k' is not valid" in bad.stderr
    # The edited book is the user's now: a second sample-book refuses to replace it.
    again = run("sample-book", "book", "--customers", "40", "--seed", "2")
    assert again.returncode == 1 and "--force" in again.stderr and "Traceback" not in again.stderr
    assert "12k" in (tmp_path / "book" / "transactions.csv").read_text()
    assert run("sample-book", "book", "--seed", "2", "--force").returncode == 0
    assert "12k" not in (tmp_path / "book" / "transactions.csv").read_text()


def test_empty_optional_cells_are_missing_values_not_errors():
    df = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["A Co", "B Co"], "rep": ["Ada", "Ada"],
                       "last_visit": [pd.Timestamp("2025-01-02"), pd.NaT],
                       "renewal_rate": [0.8, float("nan")]})
    cu = load_customers(df)
    assert cu["last_visit"].isna().tolist() == [False, True]
    assert cu["renewal_rate"].isna().tolist() == [False, True]
    df.loc[1, "name"] = None
    with pytest.raises(DataError) as info:
        load_customers(df.assign(customer_id=["C1", None]))
    assert {(p.line, p.field) for p in info.value.problems} == {(2, "name"), (2, "customer_id")}
    assert "customers:2: name: an empty cell is not valid; write some text" in str(info.value)
