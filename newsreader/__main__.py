"""python -m newsreader"""

import sys

from newsreader.launch import main

sys.exit(main())
