from imbalance.cli import main

raise SystemExit(main())
