// Shepherd as its next deploy would be: the same functions, with release flow 2.0 added.
import './nextReleaseFlow';
import '../../src/index';
