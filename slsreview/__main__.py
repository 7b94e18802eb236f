from slsreview.cli import main

main()
