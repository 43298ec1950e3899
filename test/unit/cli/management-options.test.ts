import { expect } from 'chai';
import { UsageError } from '../../../router/cli/args';
import { manageOptions } from '../../../router/cli/commands/manage';
import { statOptions } from '../../../router/cli/commands/stat';
import { attributeValues, withBooleanWords } from '../../../router/cli/manage/attribute-values';
import { longType } from '../../../router/cli/manage/type-names';
import { managementAddress, routerIdOf } from '../../../router/cli/management-options';
import { addressesView } from '../../../router/cli/stat/addresses-view';
import { generalView } from '../../../router/cli/stat/general-view';
import { logView } from '../../../router/cli/stat/log-view';

const P = 'org.apache.qpid.dispatch.';

describe('cli/stat and cli/manage arguments', () => {
  describe('weft stat', () => {
    it('shows general statistics of the router at 127.0.0.1:5672 by default, timeout 5 s', () => {
      const o = statOptions([]);
      if (o === 'help') throw new Error('help');
      expect(o.view).to.equal(generalView);
      expect(o.client.url.host).to.equal('127.0.0.1');
      expect(o.client.url.port).to.equal(5672);
      expect(o.client.timeoutS).to.equal(5);
      expect(o).to.include({ verbose: false, allRouters: false, json: false, limit: undefined, router: undefined });
    });

    it('reads the display option, -v, --limit, -r, -b host:port, -t and SASL credentials', () => {
      const o = statOptions(['-a', '-v', '--limit', '20', '-r', 'RB', '-b', 'example:5673', '-t', '1.5', '--sasl-username', 'u', '--sasl-password', 'p']);
      if (o === 'help') throw new Error('help');
      expect(o.view).to.equal(addressesView);
      expect(o).to.include({ verbose: true, limit: 20, router: 'RB' });
      expect(o.client).to.include({ timeoutS: 1.5, saslUsername: 'u', saslPassword: 'p' });
      expect(o.client.url).to.include({ host: 'example', port: 5673 });
      const log = statOptions(['--log', '--all-routers', '--json']);
      if (log === 'help') throw new Error('help');
      expect(log.view).to.equal(logView);
      expect(log).to.include({ allRouters: true, json: true });
    });

    it('refuses two display options, -r with --all-routers, a password without a user, arguments', () => {
      expect(() => statOptions(['-g', '-c'])).to.throw(UsageError, '-g and -c cannot be combined');
      expect(() => statOptions(['-l', '--log'])).to.throw(UsageError, '-l and --log');
      expect(() => statOptions(['-r', 'RB', '--all-routers'])).to.throw(UsageError, 'cannot be combined');
      expect(() => statOptions(['--sasl-password', 'p'])).to.throw(UsageError, '--sasl-username');
      expect(() => statOptions(['x'])).to.throw(UsageError, "unexpected argument 'x'");
      expect(() => statOptions(['--limit', '-1'])).to.throw(UsageError);
    });
  });

  describe('weft manage', () => {
    it('takes the operation first, upper-cased, and the rest as its arguments', () => {
      const o = manageOptions(['create', '--type', 'address', '--name=a1', 'prefix=a', 'distribution=closest']);
      if (o === 'help') throw new Error('help');
      expect(o.request).to.deep.include({ operation: 'CREATE', type: `${P}router.config.address`, name: 'a1', args: ['prefix=a', 'distribution=closest'] });
      expect(o.indent).to.equal(2);
      const reload = manageOptions(['reload', '--indent', '-1', '-r', 'RB']);
      if (reload === 'help') throw new Error('help');
      expect(reload.request.operation).to.equal('RELOAD');
      expect(reload.indent).to.equal(null);
      expect(reload.router).to.equal('RB');
    });

    it('reads --body and --properties as JSON, plain text when it does not look like JSON', () => {
      const o = manageOptions(['ping', '--body', '{"a": [1]}', '--properties', '{"x": true}']);
      if (o === 'help') throw new Error('help');
      expect(o.request.body).to.deep.equal({ a: [1] });
      expect(o.request.properties).to.deep.equal({ x: true });
      const text = manageOptions(['ping', '--body', 'hello']);
      if (text === 'help') throw new Error('help');
      expect(text.request.body).to.equal('hello');
      expect(() => manageOptions(['ping', '--body', '{"a":'])).to.throw(UsageError, 'invalid JSON');
      expect(() => manageOptions(['ping', '--properties', '[1]'])).to.throw(UsageError, 'JSON map');
    });

    it('needs an operation and a whole-number indent', () => {
      expect(() => manageOptions([])).to.throw(UsageError, 'no operation');
      expect(() => manageOptions(['query', '--indent', 'x'])).to.throw(UsageError, '--indent');
    });
  });

  describe('type names (reference §7.4)', () => {
    it('expands short names as qdmanage does', () => {
      expect(longType('link')).to.equal(`${P}router.link`);
      expect(longType('node')).to.equal(`${P}router.node`);
      expect(longType('address')).to.equal(`${P}router.config.address`);
      expect(longType('linkRoute')).to.equal(`${P}router.config.linkRoute`);
      expect(longType('autoLink')).to.equal(`${P}router.config.autoLink`);
      expect(longType('listener')).to.equal(`${P}listener`);
      expect(longType('router.address')).to.equal(`${P}router.address`);
      expect(longType(`${P}connection`)).to.equal(`${P}connection`);
      expect(longType('org.amqp.management')).to.equal('org.amqp.management');
      expect(longType(undefined)).to.equal(undefined);
    });
  });

  describe('ATTR=VALUE arguments', () => {
    it('makes true/false booleans and integer attributes of the schema numbers; the rest stay strings', () => {
      expect(attributeValues(['prefix=q', 'waypoint=true', 'priority=3', 'ingressPhase=0', 'fallback=false'], `${P}router.config.address`))
        .to.deep.equal({ prefix: 'q', waypoint: true, priority: 3, ingressPhase: 0, fallback: false });
      // A listener's port is a string in the schema (it may be a service name); maxFrameSize an integer.
      expect(attributeValues(['port=5672', 'maxFrameSize=65536'], `${P}listener`)).to.deep.equal({ port: '5672', maxFrameSize: 65536 });
      // Types outside the configuration schema: no integers.
      expect(attributeValues(['count=5'], `${P}connection`)).to.deep.equal({ count: '5' });
      expect(attributeValues(['lonely', 'a=b=c'], undefined)).to.deep.equal({ lonely: null, a: 'b=c' });
    });

    it('refuses a non-integer value for an integer attribute', () => {
      expect(() => attributeValues(['priority=high'], `${P}router.config.address`)).to.throw(UsageError, 'priority');
    });

    it('takes yes/no/on/off as booleans in UPDATE bodies', () => {
      expect(withBooleanWords({ a: 'yes', b: 'off', c: 'on', d: 'no', e: 'maybe', f: 3 })).to.deep.equal({ a: true, b: false, c: true, d: false, e: 'maybe', f: 3 });
    });
  });

  it('addresses other routers through _topo/0/<id>/$management and reads the id back', () => {
    expect(managementAddress()).to.equal('$management');
    expect(managementAddress('RB')).to.equal('_topo/0/RB/$management');
    expect(routerIdOf('_topo/0/RB/$management')).to.equal('RB');
    expect(routerIdOf('elsewhere')).to.equal('elsewhere');
  });
});
