import { expect } from 'chai';
import { OptionSpec, UsageError, formatOptions, parseArgs } from '../../../router/cli/args';

const SPECS: readonly OptionSpec[] = [
  { long: 'broker', short: 'b', type: 'string', metavar: 'URL', help: 'where' },
  { long: 'count', short: 'c', type: 'count', help: 'how many' },
  { long: 'timeout', type: 'seconds', metavar: 'S', help: 'how long' },
  { long: 'outcome', type: 'string', choices: ['accept', 'reject'], help: 'settle how' },
  { long: 'print', type: 'flag', help: 'show more' },
];

describe('cli/args', () => {
  it('reads short, long and --long=value forms, and flags', () => {
    const a = parseArgs(['-b', 'amqp://h', '--count', '3', '--timeout=1.5', '--print'], SPECS);
    expect(a.string('broker')).to.equal('amqp://h');
    expect(a.number('count')).to.equal(3);
    expect(a.number('timeout')).to.equal(1.5);
    expect(a.flag('print')).to.equal(true);
    expect(a.positionals).to.deep.equal([]);
  });

  it('gives fallbacks for what was not given, and the last of a repeated option', () => {
    const a = parseArgs(['-c', '1', '-c', '2'], SPECS);
    expect(a.number('count', 9)).to.equal(2);
    expect(a.string('broker', 'amqp://default')).to.equal('amqp://default');
    expect(a.number('timeout')).to.equal(undefined);
    expect(a.flag('print')).to.equal(false);
    expect(a.has('broker')).to.equal(false);
  });

  it('keeps positionals, and everything after --', () => {
    const a = parseArgs(['one', '--print', '--', '--count', '-'], SPECS);
    expect(a.positionals).to.deep.equal(['one', '--count', '-']);
    expect(a.flag('print')).to.equal(true);
  });

  it('takes a value that starts with a dash when an option needs one', () => {
    expect(parseArgs(['-b', '-odd'], SPECS).string('broker')).to.equal('-odd');
  });

  it('knows -h and --help', () => {
    expect(parseArgs(['-h'], SPECS).flag('help')).to.equal(true);
    expect(parseArgs(['--help'], SPECS).flag('help')).to.equal(true);
  });

  const bad: [string[], RegExp][] = [
    [['--nope'], /unknown option --nope/],
    [['-x'], /unknown option -x/],
    [['-c'], /-c needs a value/],
    [['-c', '-1'], /whole number/],
    [['-c', '2.5'], /whole number/],
    [['--timeout', 'soon'], /number of seconds/],
    [['--timeout', '-1'], /number of seconds/],
    [['--outcome', 'drop'], /one of accept, reject/],
    [['--print=yes'], /takes no value/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')}`, () => {
      expect(() => parseArgs(argv, SPECS)).to.throw(UsageError, message);
    });
  }

  it('lays out the options for a usage text', () => {
    expect(formatOptions(SPECS.slice(0, 2)).split('\n')).to.deep.equal([
      '  -b, --broker URL   where',
      '  -c, --count COUNT  how many',
      '  -h, --help         show this help',
    ]);
  });
});
