/**
 * The Python side of the plugin bridge (engine/expr/pybridge.ts): a loop reading one JSON request per line on stdin
 * and answering one JSON line. `load` imports Ansible filter and test plugin files (a `FilterModule` class whose
 * `filters()` maps names to functions, a `TestModule` with `tests()`); `call` applies one of them; `lookup` runs a
 * lookup plugin file through Ansible's own plugin loader with the task's variables (a lookup plugin is a class of
 * Ansible's `LookupBase`, so it needs ansible-core importable). The answer goes to a copy of the first stdout;
 * stdout itself is pointed at stderr, so what a plugin prints cannot break an answer. A tuple crosses as the one-key
 * object \`{"\\u0000tuple": [...]}\`, both ways. A value that JSON has no form for comes back as data (a set or
 * generator as a list, bytes as text) or as its \`str()\`. An exception answers
 * `error`. Ctrl-C (SIGINT to tsplay's process group) stops the call in progress, which answers an error; between
 * calls the process ignores it.
 *
 * @example
 * ```text
 * → {"op":"load","files":[["filter","/srv/site/filter_plugins/net.py"]]}
 * ← {"ok":{"names":{"filter":{"cidr":"/srv/site/filter_plugins/net.py"},"test":{}},"errors":[]}}
 * → {"op":"call","kind":"filter","name":"cidr","args":["10.0.0.1",24],"kw":{}}
 * ← {"ok":"10.0.0.1/24"}
 * → {"op":"lookup","name":"vault_kv","file":"/srv/site/lookup_plugins/vault_kv.py","terms":["db"],"kw":{},"vars":{…}}
 * ← {"ok":["s3cret"]}
 * ```
 */
/**
 * Python helpers both plugin scripts use (this bridge and modules/lib/actionplugin-script.ts): a tuple crosses as the
 * one-key object `{"\u0000tuple": [...]}` (`tag`/`untag`), and a value JSON has no form for is made data (`data`).
 */
export const PY_VALUES = String.raw`
TUPLE = '\u0000tuple'

def untag(d):
    return tuple(d[TUPLE]) if len(d) == 1 and TUPLE in d else d

def tag(o):
    if isinstance(o, tuple):
        return {TUPLE: [tag(x) for x in o]}
    if isinstance(o, list):
        return [tag(x) for x in o]
    if isinstance(o, dict):
        return {str(k): tag(v) for k, v in o.items()}
    return o

def data(o):
    if isinstance(o, bytes):
        return o.decode('utf-8', 'replace')
    if isinstance(o, Mapping):
        return dict(o)
    if hasattr(o, '__iter__'):
        return list(o)
    return str(o)
`

export const PLUGIN_BRIDGE_PY = String.raw`
import importlib, importlib.util, json, os, signal, sys
from collections.abc import Mapping
answers = os.fdopen(os.dup(1), 'w', encoding='utf-8')
os.dup2(2, 1)
sys.stdout = sys.stderr
table = {'filter': {}, 'test': {}}
lookups = {}

def describe(e):
    if any(c.__name__ == 'AnsibleError' for c in type(e).__mro__):
        return getattr(e, 'message', None) or str(e)
    return '%s: %s' % (type(e).__name__, e)

def load(files):
    names = {'filter': {}, 'test': {}}
    errors = []
    for i, (kind, path) in enumerate(files):
        try:
            spec = importlib.util.spec_from_file_location('tsplay_%s_plugin_%d' % (kind, i), path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            cls = getattr(mod, 'FilterModule' if kind == 'filter' else 'TestModule', None)
            if cls is None:
                continue
            fns = cls().filters() if kind == 'filter' else cls().tests()
            for name, fn in fns.items():
                table[kind][name] = fn
                names[kind][name] = path
        except Exception as e:
            errors.append([path, describe(e)])
    return {'names': names, 'errors': errors}

def collections(dirs):
    from ansible.utils.collection_loader import AnsibleCollectionConfig
    if AnsibleCollectionConfig.collection_finder is None:
        from ansible import constants as C
        from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
        _AnsibleCollectionFinder(C.COLLECTIONS_PATHS, C.COLLECTIONS_SCAN_SYS_PATH)._install()
    if AnsibleCollectionConfig.playbook_paths != [os.path.join(d, 'collections') for d in dirs]:
        AnsibleCollectionConfig.playbook_paths = dirs

def load_collection(req):
    import pkgutil
    collections(req['playbook_dirs'])
    kind, coll = req['kind'], req['name']
    pkg = importlib.import_module('ansible_collections.%s.plugins.%s' % (coll, kind))
    names = {}
    errors = []
    for m in pkgutil.iter_modules(pkg.__path__):
        try:
            mod = importlib.import_module('%s.%s' % (pkg.__name__, m.name))
            cls = getattr(mod, 'FilterModule' if kind == 'filter' else 'TestModule', None)
            if cls is None:
                continue
            fns = cls().filters() if kind == 'filter' else cls().tests()
            for name, fn in fns.items():
                table[kind]['%s.%s' % (coll, name)] = fn
                names['%s.%s' % (coll, name)] = mod.__file__
        except Exception as e:
            errors.append([m.name, describe(e)])
    return {'names': names, 'errors': errors}

def lookup(req):
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import lookup_loader
    from ansible.template import Templar
    path = req['file']
    if path not in lookups:
        loader = DataLoader()
        if req.get('playbook_dirs') is not None:
            collections(req['playbook_dirs'])
        else:
            lookup_loader.add_directory(os.path.dirname(path))
        plugin = lookup_loader.get(req['name'], loader=loader, templar=Templar(loader=loader))
        if plugin is None:
            raise LookupError('lookup plugin (%s) not found in %s' % (req['name'], path))
        lookups[path] = (loader, plugin)
    loader, plugin = lookups[path]
    if req.get('basedir'):
        loader.set_basedir(req['basedir'])
    plugin._templar.available_variables = req['vars']
    return plugin.run(req['terms'], variables=req['vars'], **req['kw'])

${PY_VALUES}
signal.signal(signal.SIGINT, signal.SIG_IGN)
for line in sys.stdin:
    req = json.loads(line, object_hook=untag)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if req['op'] == 'load':
            res = load(req['files'])
        elif req['op'] == 'collection':
            res = load_collection(req)
        elif req['op'] == 'lookup':
            res = lookup(req)
        else:
            res = table[req['kind']][req['name']](*req['args'], **req['kw'])
        out = json.dumps({'ok': tag(res)}, default=lambda o: tag(data(o)), allow_nan=False)
    except KeyboardInterrupt:
        out = json.dumps({'error': 'interrupted (Ctrl-C)'})
    except Exception as e:
        out = json.dumps({'error': describe(e)})
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers.write(out + '\n')
    answers.flush()
`
