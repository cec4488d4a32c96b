from recur_desktop.app import main

raise SystemExit(main())
