from salestrain.cli.main import run

run()
