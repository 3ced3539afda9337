"""python -m newsreader"""

import sys

from newsreader.cli import main

sys.exit(main())
