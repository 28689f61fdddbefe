from salestrain.cli import run

run()
