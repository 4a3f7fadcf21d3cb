from commission_qa.cli import app

app(prog_name="commission-qa")
