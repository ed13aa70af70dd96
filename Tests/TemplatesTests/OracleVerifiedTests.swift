import Foundation
import Testing
@testable import Templates

/// Templates written for this engine and rendered by the real Velocity 1.7
/// (shared/tools/vtl-oracle, `--batch`): realistic mapping templates, Java methods on JSON values,
/// AWS null rendering, escapes. Each must render exactly as the oracle did.
@Suite struct OracleVerifiedTests {
    static let json = #"""
[
 {
  "id": "hand0",
  "template": "$input.path('$.score') $input.path('$.big') $input.path('$.e') $input.path('$.small') $input.json('$.e') $input.json('$.small')",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "9.5 12345678901 1.0E21 1.0E-5 1.0E21 1.0E-5"
 },
 {
  "id": "hand1",
  "template": "#set($t = 0)#foreach($i in $input.path('$.items'))#set($t = $t + $i.price * $i.qty)#end$t",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "17.5"
 },
 {
  "id": "hand2",
  "template": "$input.path('$.tags') $input.path('$.addr') $input.json('$.addr') $input.path('$.items[*].id') $input.path('$..id') $input.json('$.items[0]')",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "[a, b, c] {city=Oslo, zip=0150} {\"city\":\"Oslo\",\"zip\":\"0150\"} [1, 2] [1, 2] {\"id\":1,\"price\":2.5,\"qty\":3}"
 },
 {
  "id": "hand3",
  "template": "$input.path('$.name').toUpperCase() $input.path('$.name').replaceAll(\"'\", \"\\\\'\") $input.path('$.name').split(' ')[1] $input.path('$.name').indexOf('O')",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "ANN O'NEIL Ann O\\'Neil O'Neil 4"
 },
 {
  "id": "hand4",
  "template": "#set($m = $input.path('$.addr'))#foreach($k in $m.keySet())$k=$m.get($k)#if($foreach.hasNext)&#end#end",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "city=Oslo&zip=0150"
 },
 {
  "id": "hand5",
  "template": "$input.params() $input.params('x') [$input.params('nope')]",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{path={id=p1}, querystring={x=1 2, y=ä}, header={H=v}} 1 2 []"
 },
 {
  "id": "hand6",
  "template": "#set($s = 'Hello World')$s.substring(0, 5).toLowerCase() $s.replace('o', '0') $s.contains('World') $s.startsWith('He') $s.endsWith('x') $s.charAt(4) $s.lastIndexOf('o') $s.indexOf('o', 5) $s.trim().length()",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "hello Hell0 W0rld true true false o 7 7 11"
 },
 {
  "id": "hand7",
  "template": "#set($n = 7)#set($d = 2.0)$n / $d = #set($r = $n / $d)$r, #set($q = $n / 2)$q, #set($m = $n % 3)$m, #set($x = $n * 1.5)$x, #set($y = 1.0 / 3)$y",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "7 / 2.0 = 3.5, 3, 1, 10.5, 0.3333333333333333"
 },
 {
  "id": "hand8",
  "template": "#set($a = 100000000.0)$a #set($b = 1234567.5)$b #set($c = 0.001)$c #set($e = 0.0009)$e #set($f = 1.0E-10)$f #set($g = 123456789.123)$g",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "1.0E81234567.50.0019.0E-41.0E-101.23456789123E8"
 },
 {
  "id": "hand9",
  "template": "#set($x = 3)#set($y = $x * 1.1)$y #set($z = 2.675 * 100)$z #set($w = 1e16)$w",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "3.3000000000000003267.51.0E16"
 },
 {
  "id": "hand10",
  "template": "$util.escapeJavaScript(\"line1\nline2\ttab \\\\ back\") $util.urlEncode('a=b&c d~e!*()') $util.base64Encode('été')",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "line1\\nline2\\ttab \\\\\\\\ back a%3Db%26c+d%7Ee%21*%28%29 w6l0w6k="
 },
 {
  "id": "hand11",
  "template": "#set($l = ['b', 'a', 'c'])$l.size() $l.contains('a') $l.indexOf('c') #set($r = $l.remove('a'))$r $l $l.isEmpty()",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "3 true 2true [b, c] false"
 },
 {
  "id": "hand12",
  "template": "#set($m = {'x': 1})$m.x $m['x'] $m.get('x') $m.y #set($m.y = [1,2])$m $m.y.get(1) $m.keySet() $m.values() $m.entrySet()",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "1 1 1 $m.y{x=1, y=[1, 2]} 2 [x, y] [1, [1, 2]] [x=1, y=[1, 2]]"
 },
 {
  "id": "hand13",
  "template": "#foreach($i in [1..3])#foreach($j in [1..$i])$j#end;#end",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "1;12;123;"
 },
 {
  "id": "hand14",
  "template": "#foreach($i in [1..5])#if($i == 3)#break#end$i#end|$velocityCount",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "12|$velocityCount"
 },
 {
  "id": "hand15",
  "template": "#macro(field $n $v)\"$n\": \"$v\"#end{#field('a' 1), #field('b' $input.path('$.name'))}",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{\"a\": \"1\", \"b\": \"Ann O'Neil\"}"
 },
 {
  "id": "hand16",
  "template": "#set($str = \"age=$input.path('$.age') next=#set($n = $input.path('$.age') + 1)$n\")$str",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "age=41 next=42"
 },
 {
  "id": "hand17",
  "template": "#if($input.path('$.nul'))yes#{else}no#end #if($input.path('$.flag') == false)F#end #if(!$input.path('$.missing'))M#end",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "no F M"
 },
 {
  "id": "hand18",
  "template": "#set($list = $input.path('$.tags'))#foreach($t in $list)$t.toUpperCase()#if($velocityHasNext),#end#end $list.size()",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "A,B,C 3"
 },
 {
  "id": "hand19",
  "template": "$context.requestId $context.identity.sourceIp $stageVariables.env $context",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "rid 1.1.1.1 dev {requestId=rid, identity={sourceIp=1.1.1.1}}"
 },
 {
  "id": "hand20",
  "template": "#set($x = $input.path('$.age'))#if($x > 40 && $x < 50)forties#end #if($x >= 41 || false)ok#end #if($x != 41)ne#{else}eq#end",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "forties ok eq"
 },
 {
  "id": "hand21",
  "template": "#set($s = 'a,b;c d')#foreach($p in $s.split('[,; ]'))[$p]#end $s.matches('.*;.*') $s.replaceFirst('[a-z]', 'X')",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "[a][b][c][d] true X,b;c d"
 },
 {
  "id": "hand22",
  "template": "#set($i = 5)$i.toString().length() $i.compareTo(3) #set($d = 3.9)$d.intValue() $d.longValue() $d.doubleValue() $d.toString()",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "1 13 3 3.9 3.9"
 },
 {
  "id": "hand23",
  "template": "#set($m = {})#set($r = $m.put('k', 'v'))$m #set($r2 = $m.put('k', 'w'))$r2 $m.containsValue('w') $m.remove('k') $m.isEmpty() $m.size()",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{k=v}v true w true 0"
 },
 {
  "id": "hand24",
  "template": "#set($json = $util.parseJson('{\"a\": {\"b\": [1, 2.5, \"x\", true, null]}}'))$json $json.a.b[4] $json.a.b.size() $json.a.b[1]",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{a={b=[1, 2.5, x, true, null]}} $json.a.b[4] 5 2.5"
 },
 {
  "id": "hand25",
  "template": "#set($s = \"\")#foreach($i in [1..3])#set($s = \"$s$i\")#end$s #set($n = \"$s\" + 1)$n",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "1231231"
 },
 {
  "id": "hand26",
  "template": "#set($a = [1, 2, 3])#set($b = $a.subList(1, 3))$b $b.size() #set($c = [])$c.addAll($a)$c $c.equals($a) $a.hashCode()",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "[2, 3] 2true[1, 2, 3] true 30817"
 },
 {
  "id": "hand27",
  "template": "$input.body.length() #set($b = $input.body)$b.substring(0, 10)",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "280{\"name\": \""
 },
 {
  "id": "hand28",
  "template": "#set($map = {'a': 1, 'b': 2})#foreach($e in $map.entrySet())$e.key:$e.value;#end $map.getOrDefault('z', 0)",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "a:1;b:2; 0"
 },
 {
  "id": "hand29",
  "template": "#set($x = 10)#set($y = 3)$x.doubleValue() #set($z = $x / $y)$z #set($w = $x.doubleValue() / $y)$w",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "10.033.3333333333333335"
 },
 {
  "id": "hand30",
  "template": "#set($s = 'x')$s.format('%s|%d|%.2f|%5.1f|%-4s|%04d', 'a', 42, 3.14159, 2.25, 'b', 7)",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "a|42|3.14|  2.3|b   |0007"
 },
 {
  "id": "hand31",
  "template": "#set($l = [3, 1, 2])$l.get(0) #set($v = $l.set(0, 9))$v $l",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "33 [9, 1, 2]"
 },
 {
  "id": "hand32",
  "template": "#set($t = true)#set($f = false)#if($t and $f)1#elseif($t or $f)2#end #if(not $f)3#end",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "2 3"
 },
 {
  "id": "hand33",
  "template": "#set($d = 5.0)#set($i = 5)#if($d == $i)eq#end $d $i #set($s = $d + $i)$s",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "eq 5.0 510.0"
 },
 {
  "id": "hand34",
  "template": "${input.path('$.name')} $!{context.nope}x ${stageVariables}",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "Ann O'Neil x {env=dev}"
 },
 {
  "id": "hand35",
  "template": "#set($arr = $input.path('$.items'))#foreach($it in $arr)$foreach.index:$it.id#if($foreach.last).#end #end",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "0:1 1:2. "
 },
 {
  "id": "hand36",
  "template": "#set($s = 'Test')#set($s2 = $s.concat('!'))$s2 $s2.equalsIgnoreCase('TEST!') $s.compareTo('Tesa')",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "Test! true 19"
 },
 {
  "id": "hand37",
  "template": "#set($x = 2147483647)#set($y = $x + $x)$y #set($z = -2147483648 - 1)$z #set($p = 46341 * 46341)$p",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "4294967294-21474836492147488281"
 },
 {
  "id": "hand38",
  "template": "#set($u = $util.urlDecode('a%20b+c%2Bd'))$u $util.base64Decode('SGVsbG8=')",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "a b c+d Hello"
 },
 {
  "id": "hand39",
  "template": "#set($q = $input.params().querystring)#foreach($k in $q.keySet())$k=$util.urlEncode($q.get($k))#end",
  "input": {
   "body": "{\"name\": \"Ann O'Neil\", \"age\": 41, \"score\": 9.5, \"tags\": [\"a\", \"b\", \"c\"], \"addr\": {\"city\": \"Oslo\", \"zip\": \"0150\"}, \"items\": [{\"id\": 1, \"price\": 2.5, \"qty\": 3}, {\"id\": 2, \"price\": 10, \"qty\": 1}], \"flag\": false, \"nul\": null, \"big\": 12345678901, \"neg\": -3, \"e\": 1e+21, \"small\": 1e-05}",
   "params": {
    "path": {
     "id": "p1"
    },
    "querystring": {
     "x": "1 2",
     "y": "ä"
    },
    "header": {
     "H": "v"
    }
   },
   "context": {
    "requestId": "rid",
    "identity": {
     "sourceIp": "1.1.1.1"
    }
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "x=1+2y=%C3%A4"
 },
 {
  "id": "hand2_0",
  "template": "{\n  \"items\": [\n    #foreach($it in $input.path('$.items'))\n    {\n      \"id\": \"$it.id\",\n      \"n\": $it.n\n    }#if($foreach.hasNext),#end\n    #end\n  ]\n}\n",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{\n  \"items\": [\n        {\n      \"id\": \"a\",\n      \"n\": 1\n    },        {\n      \"id\": \"b\",\n      \"n\": 2\n    }      ]\n}\n"
 },
 {
  "id": "hand2_1",
  "template": "#set($inputRoot = $input.path('$'))\n{\n#foreach($key in $inputRoot.m.keySet())\n  \"$key\": \"$inputRoot.m.get($key)\"#if($foreach.hasNext),#end\n#end\n}",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{\n  \"k1\": \"v1\",  \"k2\": \"v2\"}"
 },
 {
  "id": "hand2_2",
  "template": "## comment line\n#set($a = 1)\n#if($a == 1)\n  one\n#elseif($a == 2)\n  two\n#else\n  other\n#end\ndone",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "  one\ndone"
 },
 {
  "id": "hand2_3",
  "template": "#macro(row $k $v)\n  \"$k\": \"$v\"\n#end\n{\n#row('a' 1)\n#row('b' 2)\n}",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{\n  \"a\": \"1\"\n  \"b\": \"2\"\n}"
 },
 {
  "id": "hand2_4",
  "template": "  #foreach($i in [1,2])\n    item $i\n  #end\nend",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "      item 1\n      item 2\n  end"
 },
 {
  "id": "hand2_5",
  "template": "#if(true)\n\n#end\n\nx",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "\n\nx"
 },
 {
  "id": "hand2_6",
  "template": "a\n#* multi\nline *#\nb\n#**#c",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "a\n\nb\nc"
 },
 {
  "id": "hand2_7",
  "template": "\t#set($x = 1)\t\n$x\t#set($y = 2)\t\n$y",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "12"
 },
 {
  "id": "hand2_8",
  "template": "#set($s = $input.path('$.s'))$s|$util.escapeJavaScript($s)|$input.json('$.s')",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "x\"y\\z|x\\\"y\\\\z|\"x\\\"y\\\\z\""
 },
 {
  "id": "hand2_9",
  "template": "#foreach($i in [1..3])\n#if($i == 2)\n#set($mid = $i)\n#end\n#end\nmid=$mid",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "mid=2"
 },
 {
  "id": "hand2_10",
  "template": "#define($hdr)\n<h>$title</h>\n#end\n#set($title = 'T1')$hdr#set($title = 'T2')$hdr",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "<h>T1</h>\n<h>T2</h>\n"
 },
 {
  "id": "hand2_11",
  "template": "#macro(outer $x)[#inner($x)]#end#macro(inner $y)($y)#end#outer('z') #outer($input.path('$.name'))",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "[(z)] [(Ann)]"
 },
 {
  "id": "hand2_12",
  "template": "#set($l = [])#foreach($i in [1..3])#set($ignore = $l.add($i * $i))#end$l #foreach($v in $l)$velocityCount=$v #end",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_error": "ParseErrorException"
 },
 {
  "id": "hand2_13",
  "template": "#set($x = 'a')#set($y = \"${x}b\")#set($z = \"$y.toUpperCase()c\")$z",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "ABc"
 },
 {
  "id": "hand2_14",
  "template": "#set($n = $input.path('$.items').size())#if($n > 1)many ($n)#end",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "many (2)"
 },
 {
  "id": "hand2_15",
  "template": "#evaluate('#set($e = 5)')$e #evaluate(\"#foreach($i in [1..$e])$i#end\")",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "5 12345"
 },
 {
  "id": "hand2_16",
  "template": "#set($m = {'a': {'b': {'c': 'deep'}}})$m.a.b.c $m.a.b $m.get('a').get('b').c",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "deep {c=deep} deep"
 },
 {
  "id": "hand2_17",
  "template": "#foreach($x in [1, 2, 3])#if($foreach.first)[#end$x#if($foreach.last)]#{else},#end#end",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "[1,2,3]"
 },
 {
  "id": "hand2_19",
  "template": "#set($s = 'abc')#set($r = '')#foreach($i in [2..0])#set($r = $r + $s.charAt($i))#end$r",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "cba"
 },
 {
  "id": "hand2_20",
  "template": "#set($a = 1)#set($b = 2)#set($c = \"$a + $b = #set($s = $a + $b)$s\")$c",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "1 + 2 = 3"
 },
 {
  "id": "hand2_21",
  "template": "#set($x = 1)\n#if($x)\n  #set($y = 'set')\n  $y\n#end\n",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "  set\n"
 },
 {
  "id": "hand2_22",
  "template": "#foreach($k in $input.params().header.keySet())$k: $input.params().header.get($k)\n#end",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "A: 1\nB: 2\n"
 },
 {
  "id": "hand2_23",
  "template": "#set($o = {})#set($o.list = [])#set($added = $o.list.add('x'))$o $o.list.size()",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{list=[x]} 1"
 },
 {
  "id": "hand2_24",
  "template": "#set($total = 0)#foreach($it in $input.path('$.items'))#set($total = $total + $it.n)#end\nTotal: $total\n",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "Total: 3\n"
 },
 {
  "id": "hand2_25",
  "template": "${a}${b}#set($a='A')${a}#set($b='B')${b}$a$b",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "${a}${b}ABAB"
 },
 {
  "id": "hand2_26",
  "template": "#if($input.path('$.name') == 'Ann')hi Ann#end #if($input.path('$.name').length() == 3)3#end",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "hi Ann 3"
 },
 {
  "id": "hand2_27",
  "template": "#set($s = 'a-b_c d')$s.replaceAll('[-_ ]', '') $s.toUpperCase().replace('-', '')",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "abcd AB_C D"
 },
 {
  "id": "hand2_28",
  "template": "#foreach($i in [1, 2])#foreach($j in [3, 4])$foreach.parent.index$foreach.index #end#end",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "00 01 10 11 "
 },
 {
  "id": "hand2_29",
  "template": "x #stop y",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "x "
 },
 {
  "id": "hand2_30",
  "template": "#macro(m)#set($inner = 'I')$inner#end#m() $inner",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "I I"
 },
 {
  "id": "hand2_31",
  "template": "#set($list = [1, 2, 3])#foreach($i in $list)#if($i == 2)#break#end$i#end after $i",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "1 after $i"
 },
 {
  "id": "hand2_32",
  "template": "#set($num = 5)#set($str = \"$num\")#if($str == '5')s#end#if($num == 5)n#end#set($sum = $str + 1)$sum",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "sn51"
 },
 {
  "id": "hand2_33",
  "template": "$input.json('$.items[0]') $input.json('$.items[*].id') $input.json('$..n') $input.path('$.items[-1].id')",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "{\"id\":\"a\",\"n\":1} [\"a\",\"b\"] [1,2] b"
 },
 {
  "id": "hand2_34",
  "template": "#foreach($e in $input.path('$.m').entrySet())$e#end $input.path('$.m').entrySet()",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "k1=v1k2=v2 [k1=v1, k2=v2]"
 },
 {
  "id": "hand2_35",
  "template": "#set($x = 1.0)#set($y = $x * 3)$y #set($z = 10.0 / 4)$z #set($w = 1.5e300 * 1e10)$w",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "3.02.5Infinity"
 },
 {
  "id": "hand2_36",
  "template": "#set($v = -5)$v #set($w = $v - -5)$w #set($a = 10 / -3)$a #set($b = -10 % 3)$b",
  "input": {
   "body": "{\"name\": \"Ann\", \"items\": [{\"id\": \"a\", \"n\": 1}, {\"id\": \"b\", \"n\": 2}], \"m\": {\"k1\": \"v1\", \"k2\": \"v2\"}, \"s\": \"x\\\"y\\\\z\"}",
   "params": {
    "path": {},
    "querystring": {},
    "header": {
     "A": "1",
     "B": "2"
    }
   },
   "context": {
    "requestId": "rid"
   },
   "stageVariables": {
    "env": "dev"
   }
  },
  "expected_output": "-50-3-1"
 },
 {
  "id": "hand3_0",
  "template": "\\$x \\$!x $!x $x ${x} \\\\$x",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "\\$x \\$!x    \\"
 },
 {
  "id": "hand3_1",
  "template": "#set($m = {})$m.a $m.get('a') $!m.a [$m.a.b]",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "   []"
 },
 {
  "id": "hand3_2",
  "template": "#macro(m $a)[$a][$b]#end#m($undef)#m()",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "[][][][]"
 },
 {
  "id": "hand3_3",
  "template": "#set($l = [1, $u])$l $l.get(1)",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "[1, null] "
 },
 {
  "id": "hand3_4",
  "template": "#foreach($i in [1,2])$i#end $velocityCount $foreach",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "12  "
 },
 {
  "id": "hand3_5",
  "template": "$input.path('$.a') $input.json('$.a') $context.x $stageVariables",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": " null  {}"
 },
 {
  "id": "hand3_6",
  "template": "#define($d)$nope#end$d",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": ""
 },
 {
  "id": "hand3_7",
  "template": "#set($s = \"$undef\")[$s] #set($t = 'a' + $undef)[$t]",
  "input": {
   "aws": true,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "[] [a$undef]"
 },
 {
  "id": "hand3_8",
  "template": "#set($s = \"$undef\")[$s] #set($t = 'a' + $undef)[$t]",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "[$undef] [a$undef]"
 },
 {
  "id": "hand3_9",
  "template": "#foreach($i in {'a': 1, 'b': [2]})$i #end",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "1 [2] "
 },
 {
  "id": "hand3_10",
  "template": "#set($d = {'a': 1})#set($e = $d)#set($e.b = 2)$d",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "{a=1, b=2}"
 },
 {
  "id": "hand3_11",
  "template": "#if($x == $y)eq#end #if($x != 1)ne#end #if(!$x && !$y)both#end",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "eq ne both"
 },
 {
  "id": "hand3_12",
  "template": "#set($list = ['a'])#set($list[0] = 'b')$list #set($list[$n] = 'c')$list",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "[b][b]"
 },
 {
  "id": "hand3_13",
  "template": "#set($l = [1,2,3])$l.remove(0) $l.remove($l.size() - 1)",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_error": "ParseErrorException"
 },
 {
  "id": "hand3_14",
  "template": "#set($a = 'x')#set($b = $a.equals('x'))$b #set($c = $a == 'x')$c",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "truetrue"
 },
 {
  "id": "hand3_15",
  "template": "$1 $$ $# #$ $! $!{} ${} #{} #( ##",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "$1 $$ $# #$ $ $!{} ${} #{} #( "
 },
 {
  "id": "hand3_16",
  "template": "#set($map = {'k': 'v'})#foreach($e in $map.entrySet())$e.getKey()->$e.getValue() $e.key.length()#end",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "k->v 1"
 },
 {
  "id": "hand3_17",
  "template": "#set($x = 'a')#set($x = $x + $x + $x)$x $x.length() #set($y = $x.replaceAll('a', '$0b'))$y",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "aaa 3ababab"
 },
 {
  "id": "hand3_18",
  "template": "#set($n = 0)#foreach($i in [1..100])#set($n = $n + $i)#end$n #set($f = 1)#foreach($i in [1..20])#set($f = $f * $i)#end$f",
  "input": {
   "aws": false,
   "body": "{\"a\": null}",
   "context": {
    "x": null
   }
  },
  "expected_output": "50502432902008176640000"
 }
]
"""#

    @Test func oracleVerifiedTemplates() throws {
        guard case .list(let items) = try OracleJSON.parse(Self.json) else {
            Issue.record("bad embedded JSON")
            return
        }
        var checked = 0
        for item in items.items {
            guard case .map(let m) = item, case .string(let id)? = m.get(.string("id")),
                  case .string(let template)? = m.get(.string("template")) else { continue }
            var out: String?
            if case .string(let s)? = m.get(.string("expected_output")) { out = s }
            var err: String?
            if case .string(let s)? = m.get(.string("expected_error")) { err = s }
            let c = VelocityCase(id: id, template: template, input: m.get(.string("input")) ?? .null, expectedOutput: out, expectedError: err)
            #expect(VelocityCases.check(c) == nil, "\(id): \(VelocityCases.check(c) ?? "")")
            checked += 1
        }
        #expect(checked == 95)
    }
}
